package dev.switchboard.gateway.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Kafka clients built from the {@code kafka.*} settings: keys are strings, values JSON bytes. */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> common;

    KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    public String bootstrapServers() {
        return String.valueOf(common.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /**
     * An idempotent, acks=all producer whose sends fail within {@code deliveryTimeout}: less than a
     * request's timeout, so that a client hears 5003 (unavailable) while it still waits, not 5004.
     */
    public KafkaProducer<String, byte[]> producer(String clientId, Duration deliveryTimeout) {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Signaling is latency-bound: send at once instead of waiting to fill batches.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeoutMs = (int) deliveryTimeout.toMillis();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** An admin client whose calls give up after {@code timeout}. */
    public Admin admin(Duration timeout) {
        Map<String, Object> config = new HashMap<>(common);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(config);
    }

    /** A consumer for manual assignment: no group, no commits, committed records only; it only ever reads from the end. */
    public KafkaConsumer<String, byte[]> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(common);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // room-service writes in transactions: what a fenced former owner wrote is aborted, never delivered.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
