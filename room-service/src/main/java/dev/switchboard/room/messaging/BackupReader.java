package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.IncompatibleFormatException;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.room.RoomState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a new owner of some partitions reads before it handles their commands: where the previous owner stopped
 * and the latest backup of each of their rooms. Both wait for a transaction the previous owner left open to be
 * committed or aborted, so nothing it wrote is missed or half-seen.
 */
final class BackupReader {

    private static final Logger LOG = Logger.getLogger(BackupReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final String bootstrapServers;
    private final String groupId;

    /** The rooms of the partitions, and those whose latest backup could not be read, set aside. */
    record Backups(Map<String, RoomState> rooms, Set<String> unreadable) {
    }

    BackupReader(String bootstrapServers, String groupId) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
    }

    /** The first command not handled yet in each partition: the group's committed offset, else the beginning. */
    Map<Integer, Long> positions(Admin admin, Collection<Integer> partitions) {
        List<TopicPartition> commandPartitions = topicPartitions(Topics.ROOM_COMMANDS, partitions);
        // Stable: offsets a transaction still holds are waited for, not read half-committed.
        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(
                Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(commandPartitions)),
                new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata(groupId));
        Map<TopicPartition, Long> beginning = offsets(admin, commandPartitions, OffsetSpec.earliest());
        return commandPartitions.stream().collect(Collectors.toMap(TopicPartition::partition, p -> {
            OffsetAndMetadata offset = committed.get(p);
            return offset != null ? offset.offset() : beginning.get(p);
        }));
    }

    /** Reads the latest backup of every room of the partitions of {@code room-state}. */
    Backups read(Admin admin, Collection<Integer> partitions) {
        List<TopicPartition> statePartitions = topicPartitions(Topics.ROOM_STATE, partitions);
        Map<TopicPartition, Long> end = offsets(admin, statePartitions, OffsetSpec.latest());
        Map<String, RoomState> rooms = new LinkedHashMap<>();
        Set<String> unreadable = new LinkedHashSet<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Rooms wait for this read: a fetch that finds the end must not linger for more.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(statePartitions);
            reader.seekToBeginning(statePartitions);
            // Up to the last record written, committed or not: a read-committed position gets there only once
            // every transaction before it is over.
            while (statePartitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                    unreadable.remove(record.key());
                    if (record.value() == null) {
                        rooms.remove(record.key());
                        continue;
                    }
                    try {
                        rooms.put(record.key(), Json.read(record.value(), RoomState.class));
                    } catch (RuntimeException e) {
                        rethrowIfNewer(e);
                        LOG.errorf("the backup of room %s at offset %d of %s-%d cannot be read, setting it aside: %s",
                                record.key(), record.offset(), record.topic(), record.partition(), e.getMessage());
                        rooms.remove(record.key());
                        unreadable.add(record.key());
                    }
                }
            }
        }
        return new Backups(rooms, unreadable);
    }

    /**
     * A backup of another major format is no damaged backup: an instance of that version can read it, so the
     * takeover fails (and is tried again) rather than close a room another version runs.
     */
    private static void rethrowIfNewer(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IncompatibleFormatException incompatible) {
                throw incompatible;
            }
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) {
        var listed = await(admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)),
                new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        listed.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static List<TopicPartition> topicPartitions(String topic, Collection<Integer> partitions) {
        return partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + ADMIN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
