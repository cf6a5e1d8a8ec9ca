package dev.switchboard.devstack.testing;

import dev.switchboard.devstack.kafka.EmbeddedKafka;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * A Kafka broker for {@code @QuarkusTest}s: a container where Docker runs, the embedded broker
 * otherwise or when the init argument {@value #EMBEDDED} is true. Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaTestResource extends ContainerOrEmbeddedTestResource<KafkaContainer, EmbeddedKafka> {

    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    private static final Running<EmbeddedKafka> BROKER =
            new Running<>("embedded Kafka broker", KafkaTestResource.class, EmbeddedKafka::close);

    public KafkaTestResource() {
        super(DEFAULT_IMAGE, BROKER);
    }

    @Override
    KafkaContainer container(String image) {
        return new KafkaContainer(image);
    }

    @Override
    Map<String, String> containerConfig(KafkaContainer container) {
        return bootstrapServers(container.getBootstrapServers());
    }

    @Override
    EmbeddedKafka startEmbedded() {
        return EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
    }

    @Override
    Map<String, String> embeddedConfig(EmbeddedKafka kafka) {
        return bootstrapServers(kafka.bootstrapServers());
    }

    private static Map<String, String> bootstrapServers(String bootstrapServers) {
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
    }

    /**
     * The running embedded broker, for tests that stop or restart it.
     *
     * @throws IllegalStateException if the broker runs in a container
     */
    public static EmbeddedKafka kafka() {
        return BROKER.get();
    }
}
