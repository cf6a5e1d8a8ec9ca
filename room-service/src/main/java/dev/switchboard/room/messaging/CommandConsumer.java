package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.room.room.RoomState;
import dev.switchboard.room.room.RoomSupervisor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads {@code room-commands} as a member of the room-service group: Kafka assigns each partition, and so
 * each room, to one instance. A newly assigned partition's rooms are first restored from
 * {@code room-state}; a revoked one's rooms are let go once their commands in progress are done.
 * Offsets are committed only below the oldest unfinished command.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

    private final RoomSupervisor supervisor;
    private final RoomServiceConfig config;
    private final String bootstrapServers;
    private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean ready;
    private Thread thread;

    public CommandConsumer(RoomSupervisor supervisor, RoomServiceConfig config,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.supervisor = supervisor;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) {
        thread = Thread.ofPlatform().name("room-commands").start(this::run);
    }

    /** True once the topics exist and this instance has joined the group. */
    public boolean ready() {
        return ready;
    }

    private void run() {
        while (running) {
            try {
                TopicCreator.ensureTopics(bootstrapServers, config.kafka().partitions(),
                        config.kafka().replicationFactor());
                break;
            } catch (RuntimeException e) {
                LOG.warnf("Kafka is not reachable yet (%s); retrying", e.getMessage());
            }
        }
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer());
        try (KafkaConsumer<String, byte[]> c = consumer) {
            c.subscribe(List.of(Topics.ROOM_COMMANDS), new Rebalance());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    dispatch(record);
                }
                ready = true;
                commit(false);
            }
        } catch (WakeupException stopping) {
            LOG.debug("command consumer woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("command consumer failed", e);
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
        tracker.dispatched(record.offset());
        RoomCommand command;
        try {
            command = Json.read(record.value(), RoomCommand.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping unreadable command at %s offset %d: %s", partition, record.offset(), e.getMessage());
            tracker.done(record.offset());
            return;
        }
        supervisor.dispatch(command, () -> tracker.done(record.offset()));
    }

    private void commit(boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        trackers.forEach((partition, tracker) -> {
            long offset = tracker.committable();
            if (offset >= 0) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.warnf("offset commit failed, will retry with the next: %s", error.getMessage());
                }
            });
        }
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Only partitions that really move are revoked: rooms elsewhere keep running undisturbed.
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.kafka().sessionTimeout().toMillis(),
                // Frequent heartbeats: a survivor learns of a rebalance sooner, so rooms move sooner.
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(250, config.kafka().sessionTimeout().toMillis() / 3),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
    }

    /** Reads the latest backup of every room of the given partitions of {@code room-state}. */
    private Map<String, RoomState> readBackups(Collection<Integer> partitions) {
        Map<String, RoomState> rooms = new LinkedHashMap<>();
        List<TopicPartition> statePartitions = partitions.stream()
                .map(p -> new TopicPartition(Topics.ROOM_STATE, p)).toList();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Rooms wait for this read: a fetch that finds the end must not linger for more.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(statePartitions);
            reader.seekToBeginning(statePartitions);
            Map<TopicPartition, Long> end = reader.endOffsets(statePartitions);
            while (statePartitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                    if (record.value() == null) {
                        rooms.remove(record.key());
                    } else {
                        rooms.put(record.key(), Json.read(record.value(), RoomState.class));
                    }
                }
            }
        }
        return rooms;
    }

    /** First of all at shutdown: rooms are handed over while Kafka and Kurento are still there to do it. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(HANDOVER_WAIT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            long started = System.nanoTime();
            Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
            Map<String, RoomState> rooms = readBackups(numbers);
            rooms.values().forEach(supervisor::restore);
            LOG.infof("took over partitions %s with %d rooms in %d ms", numbers, rooms.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            letGo(partitions, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another instance may already own these: commit nothing, just stop.
            letGo(partitions, false);
        }

        private void letGo(Collection<TopicPartition> partitions, boolean graceful) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<Integer> numbers = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
            int count = config.kafka().partitions();
            supervisor.handOver(roomId -> numbers.contains(Partitions.of(roomId, count)), HANDOVER_WAIT);
            if (graceful) {
                commit(true);
            }
            partitions.forEach(trackers::remove);
            LOG.infof("handed over partitions %s", numbers);
        }
    }
}
