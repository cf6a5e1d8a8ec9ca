package dev.switchboard.devstack.testing;

import dev.switchboard.devstack.postgres.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.Map;

/**
 * A PostgreSQL database for {@code @QuarkusTest}s: a container where Docker runs, the embedded
 * server otherwise or when the init argument {@value #EMBEDDED} is true. Sets the datasource's
 * JDBC URL, user name and password.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: "true" to use the embedded server even where Docker runs, e.g. to restart it. */
    public static final String EMBEDDED = "embedded";
    /** Init argument: the container image. */
    public static final String IMAGE = "image";
    public static final String DEFAULT_IMAGE = "postgres:17-alpine";

    private static volatile EmbeddedPostgresServer embedded;

    private boolean forceEmbedded;
    private String image = DEFAULT_IMAGE;
    private PostgreSQLContainer container;

    @Override
    public void init(Map<String, String> initArgs) {
        forceEmbedded = Boolean.parseBoolean(initArgs.get(EMBEDDED));
        image = initArgs.getOrDefault(IMAGE, DEFAULT_IMAGE);
    }

    @Override
    public Map<String, String> start() {
        if (!forceEmbedded && DockerEngine.available()) {
            container = new PostgreSQLContainer(image)
                    .withDatabaseName(EmbeddedPostgresServer.DATABASE)
                    .withUsername("switchboard")
                    .withPassword("switchboard");
            container.start();
            return datasource(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        embedded = EmbeddedPostgresServer.start(EmbeddedPostgresServer.Settings.defaults());
        return datasource(embedded.jdbcUrl(), embedded.username(), embedded.password());
    }

    private static Map<String, String> datasource(String jdbcUrl, String username, String password) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
            container = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    /**
     * The running embedded server, for tests that stop or restart it.
     *
     * @throws IllegalStateException if the database runs in a container
     */
    public static EmbeddedPostgresServer postgres() {
        EmbeddedPostgresServer running = embedded;
        if (running == null) {
            throw new IllegalStateException("no embedded PostgreSQL runs: PostgresTestResource uses a container"
                    + " where Docker runs; give it initArgs @ResourceArg(name = \"embedded\", value = \"true\")");
        }
        return running;
    }
}
