package dev.switchboard.e2e;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml cannot run here (no Docker engine), so what can be checked without one is: every
 * service is built from a Dockerfile that exists, listens where the file publishes it, gets each
 * setting it needs under the name the service reads, and depends only on services the file defines.
 */
class ComposeFileTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("switchboard.repository", ".."))
            .toAbsolutePath().normalize();

    /** The environment each service cannot start without in production, as its configuration names it. */
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "room-service", Set.of("KAFKA_BOOTSTRAP_SERVERS", "KMS_URL", "SWITCHBOARD_JWT_SECRET"),
            "signaling-gateway", Set.of("KAFKA_BOOTSTRAP_SERVERS", "SWITCHBOARD_JWT_SECRET"),
            "history-service", Set.of("KAFKA_BOOTSTRAP_SERVERS", "SWITCHBOARD_JWT_SECRET", "QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"));

    @Test
    @SuppressWarnings("unchecked")
    void composeFileMatchesTheServicesItBuilds() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPOSITORY.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        assertThat(services).containsKeys("kafka", "postgres", "kms", "room-service", "signaling-gateway", "history-service");
        for (var required : REQUIRED.entrySet()) {
            String name = required.getKey();
            Map<String, Object> service = services.get(name);
            Map<String, String> build = (Map<String, String>) service.get("build");
            Path dockerfile = REPOSITORY.resolve(build.get("context")).resolve(build.get("dockerfile"));
            assertThat(dockerfile).as("Dockerfile of %s", name).isRegularFile();
            assertThat(Files.readString(dockerfile)).contains("target/quarkus-app");

            Properties properties = applicationProperties(name);
            String sources = sources(name);
            String port = properties.getProperty("quarkus.http.port");
            assertThat((List<String>) service.get("ports")).as("ports of %s", name).contains(port + ":" + port);

            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(environment.keySet()).as("environment of %s", name).containsAll(required.getValue());
            for (String variable : environment.keySet()) {
                assertThat(readsSetting(properties, sources, variable)).as("%s reads %s", name, variable).isTrue();
            }
            for (Object dependency : ((Map<String, Object>) service.get("depends_on")).keySet()) {
                assertThat(services).containsKey((String) dependency);
            }
        }
        assertThat(String.valueOf(services.get("room-service").get("environment"))).contains("ws://kms:8888/kurento");
    }

    /**
     * Quarkus maps an environment variable to the property of the same name in lower case with dots;
     * the variable counts as read when the service's properties or code name that property.
     */
    private static boolean readsSetting(Properties properties, String sources, String variable) {
        String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        if (property.startsWith("quarkus.")) {
            // Quarkus reads its own settings; the service must use the extension they belong to.
            String extension = property.substring(0, property.indexOf('.', "quarkus.".length()) + 1);
            return properties.stringPropertyNames().stream().anyMatch(key -> key.replaceFirst("^%[a-z]+\\.", "")
                    .startsWith(extension));
        }
        return properties.stringPropertyNames().stream()
                .map(key -> key.replaceFirst("^%[a-z]+\\.", "").replace('-', '.'))
                .anyMatch(property::equals)
                || properties.values().stream().anyMatch(value -> String.valueOf(value).contains("${" + property + "}"))
                || sources.contains(property);
    }

    private static String sources(String service) throws IOException {
        try (var files = Files.walk(REPOSITORY.resolve(service).resolve("src/main/java"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file));
            }
            return all.toString();
        }
    }

    private static Properties applicationProperties(String service) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(
                REPOSITORY.resolve(service).resolve("src/main/resources/application.properties"))));
        return properties;
    }
}
