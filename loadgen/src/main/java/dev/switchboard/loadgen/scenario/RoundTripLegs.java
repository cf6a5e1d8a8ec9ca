package dev.switchboard.loadgen.scenario;

import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.loadgen.report.Measurements;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a command's round trip goes, read from the records it left on Kafka: each record's create time is
 * when its producer sent it, so the command's record, the room's backup after it and the reply give the
 * legs inside room-service; the rest is the gateway, the WebSocket and the client. Beside them, the floor
 * of one Kafka hop on the same broker: a record produced and consumed, and a produce acknowledged.
 */
final class RoundTripLegs {

    static final String TO_BACKUP = "leg: command sent by gateway → backup sent by room-service";
    static final String BACKUP_TO_REPLY = "leg: backup sent → reply sent (backup acknowledged)";
    static final String IN_ROOM_SERVICE = "leg: command sent → reply sent";
    static final String KAFKA_HOP = "Kafka floor: produce → consume, one record";
    static final String KAFKA_ACK = "Kafka floor: produce → acknowledged (acks=all)";
    private static final Pattern COMMAND_ID = Pattern.compile("\"commandId\":\"([^\"]+)\"");
    private static final int FLOOR_RECORDS = 500;

    private RoundTripLegs() {
    }

    /** The legs of every command sent for {@code roomId} whose reply and backup are found. */
    static void measure(String bootstrap, String roomId, String commandMarker, Measurements m) {
        Map<String, Long> sent = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> r : read(bootstrap, Topics.ROOM_COMMANDS)) {
            String value = text(r);
            if (roomId.equals(r.key()) && value.contains(commandMarker)) {
                commandId(value).ifPresent(id -> sent.put(id, r.timestamp()));
            }
        }
        List<Long> backups = read(bootstrap, Topics.ROOM_STATE).stream().filter(r -> roomId.equals(r.key()))
                .map(ConsumerRecord::timestamp).sorted().toList();
        for (ConsumerRecord<String, byte[]> r : read(bootstrap, Topics.ROOM_REPLIES)) {
            commandId(text(r)).map(sent::get).ifPresent(commandAt -> {
                long replyAt = r.timestamp();
                backups.stream().filter(b -> b >= commandAt && b <= replyAt).findFirst().ifPresent(backupAt -> {
                    m.latency(TO_BACKUP).recordNanos(TimeUnit.MILLISECONDS.toNanos(backupAt - commandAt));
                    m.latency(BACKUP_TO_REPLY).recordNanos(TimeUnit.MILLISECONDS.toNanos(replyAt - backupAt));
                });
                m.latency(IN_ROOM_SERVICE).recordNanos(TimeUnit.MILLISECONDS.toNanos(replyAt - commandAt));
            });
        }
        kafkaFloor(bootstrap, m);
    }

    private static void kafkaFloor(String bootstrap, Measurements m) {
        String topic = "loadgen-kafka-floor";
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            producer.send(new ProducerRecord<>(topic, "warm-up", new byte[0])).get();
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < FLOOR_RECORDS; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "floor", new byte[512])).get();
                m.latency(KAFKA_ACK).recordSince(start);
                while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    // until the record is back
                }
                m.latency(KAFKA_HOP).recordSince(start);
            }
        } catch (ExecutionException e) {
            m.note("the Kafka floor could not be measured: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
    }

    private static java.util.Optional<String> commandId(String json) {
        Matcher matcher = COMMAND_ID.matcher(json);
        return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }
}
