package dev.switchboard.devstack.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestResourcesTest {

    @Test
    void theDockerCheckIsQuick() {
        long started = System.nanoTime();
        DockerEngine.available();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void kafkaResourceSetsTheBootstrapServersAndExposesTheEmbeddedBroker() {
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of(KafkaTestResource.EMBEDDED, "true"));
        Map<String, String> config = resource.start();
        try {
            assertThat(config).containsOnlyKeys("kafka.bootstrap.servers");
            assertThat(KafkaTestResource.kafka().bootstrapServers()).isEqualTo(config.get("kafka.bootstrap.servers"));
            assertThat(KafkaTestResource.kafka().isRunning()).isTrue();
        } finally {
            resource.stop();
        }
        assertThatThrownBy(KafkaTestResource::kafka).hasMessageContaining("no embedded Kafka broker runs");
    }

    @Test
    void postgresResourceSetsTheDatasource() throws SQLException {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.EMBEDDED, "true"));
        Map<String, String> config = resource.start();
        try {
            assertThat(config).containsOnlyKeys(
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password");
            try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(PostgresTestResource.postgres().isRunning()).isTrue();
        } finally {
            resource.stop();
        }
        assertThatThrownBy(PostgresTestResource::postgres).hasMessageContaining("no embedded PostgreSQL runs");
    }

    @Test
    void emulatorResourceSetsTheKmsUrl() {
        KurentoEmulatorTestResource resource = new KurentoEmulatorTestResource();
        Map<String, String> config = resource.start();
        try {
            assertThat(config).containsOnlyKeys("kms.url");
            assertThat(config.get("kms.url")).startsWith("ws://").isEqualTo(KurentoEmulatorTestResource.emulator().url());
        } finally {
            resource.stop();
        }
    }
}
