package dev.switchboard.devstack.testing;

import dev.switchboard.devstack.kafka.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * A Kafka broker for {@code @QuarkusTest}s: a container where Docker runs, the embedded broker
 * otherwise or when the init argument {@value #EMBEDDED} is true. Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: "true" to use the embedded broker even where Docker runs, e.g. to restart it. */
    public static final String EMBEDDED = "embedded";
    /** Init argument: the container image. */
    public static final String IMAGE = "image";
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    private static volatile EmbeddedKafka embedded;

    private boolean forceEmbedded;
    private String image = DEFAULT_IMAGE;
    private KafkaContainer container;

    @Override
    public void init(Map<String, String> initArgs) {
        forceEmbedded = Boolean.parseBoolean(initArgs.get(EMBEDDED));
        image = initArgs.getOrDefault(IMAGE, DEFAULT_IMAGE);
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers;
        if (!forceEmbedded && DockerEngine.available()) {
            container = new KafkaContainer(image);
            container.start();
            bootstrapServers = container.getBootstrapServers();
        } else {
            embedded = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
            bootstrapServers = embedded.bootstrapServers();
        }
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
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
     * The running embedded broker, for tests that stop or restart it.
     *
     * @throws IllegalStateException if the broker runs in a container
     */
    public static EmbeddedKafka kafka() {
        EmbeddedKafka running = embedded;
        if (running == null) {
            throw new IllegalStateException("no embedded Kafka broker runs: KafkaTestResource uses a container"
                    + " where Docker runs; give it initArgs @ResourceArg(name = \"embedded\", value = \"true\")");
        }
        return running;
    }
}
