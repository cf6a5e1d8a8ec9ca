package dev.switchboard.history;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes room events as room-service does: keyed by room id, acknowledged by the broker. */
public final class RoomEventProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public RoomEventProducer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Where the broker put each event, in the order given. */
    public List<RecordMetadata> send(RoomEvent... events) {
        return send(List.of(events));
    }

    public List<RecordMetadata> send(List<RoomEvent> events) {
        return events.stream().map(event -> sendRaw(event.roomId(), Json.writeBytes(event))).toList();
    }

    public RecordMetadata sendRaw(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.ROOM_EVENTS, key, value)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the record", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
