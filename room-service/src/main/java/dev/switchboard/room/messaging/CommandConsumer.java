package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Backoff;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.room.room.RoomSupervisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Reads {@code room-commands} as a member of the room-service group: Kafka assigns each partition, and so each
 * room, to one instance. A newly assigned partition stays paused while its rooms are restored from
 * {@code room-state} on a thread of their own, so the rooms this instance already has go on meanwhile; a
 * revoked one's rooms are let go once their commands in progress are done. Offsets are committed by the rooms'
 * transactions ({@link RoomTransactions}), only below the oldest unfinished command.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    /** Unexpected failures in a row past which the loop counts as dead for the liveness check. */
    private static final int MAX_UNEXPECTED_FAILURES = 5;

    private final RoomSupervisor supervisor;
    private final RoomServiceConfig config;
    private final RoomOwnership ownership;
    private final String bootstrapServers;
    private final BackupReader backups;
    private final Counter unreadableBackups;
    private final Counter dispatched;
    /** Partitions being taken over, each with the token of its takeover; guarded by itself with the ownership. */
    private final Map<Integer, Object> takeovers = new ConcurrentHashMap<>();
    /** Takeovers done, for the polling thread to resume. */
    private final ConcurrentLinkedQueue<Map<Integer, Long>> restored = new ConcurrentLinkedQueue<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Admin admin;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile int unexpectedFailures;
    private Thread thread;

    public CommandConsumer(RoomSupervisor supervisor, RoomServiceConfig config, RoomOwnership ownership,
                           MeterRegistry registry,
                           @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.supervisor = supervisor;
        this.config = config;
        this.ownership = ownership;
        this.bootstrapServers = bootstrapServers;
        this.backups = new BackupReader(bootstrapServers, config.kafka().groupId());
        this.unreadableBackups = Counter.builder("switchboard.room.backups.unreadable")
                .description("Room backups that could not be read at a takeover and were set aside")
                .register(registry);
        this.dispatched = Counter.builder("switchboard.room.commands.dispatched")
                .description("Commands this instance read and gave to its rooms").register(registry);
        Gauge.builder("switchboard.rooms", supervisor, RoomSupervisor::roomCount)
                .description("Rooms this instance runs").register(registry);
        Gauge.builder("switchboard.room.partitions.owned", ownership, o -> o.partitions().size())
                .description("Partitions of room-commands this instance owns and has taken over").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        thread = Thread.ofPlatform().name("room-commands").start(this::run);
    }

    /** True once the topics exist and this instance has joined the group. */
    public boolean ready() {
        return ready;
    }

    /** False once the loop has died or keeps failing for reasons other than Kafka being away. */
    public boolean alive() {
        return thread != null && thread.isAlive() && unexpectedFailures < MAX_UNEXPECTED_FAILURES;
    }

    /** Consumes until stopped; after a failure, lets go of every room and joins the group again with a new consumer. */
    private void run() {
        int failures = 0;
        while (running) {
            try {
                consume();
            } catch (WakeupException stopping) {
                LOG.debug("command consumer woken up");
            } catch (RuntimeException e) {
                ready = false;
                if (e instanceof KafkaException) {
                    LOG.warnf("command consumer lost Kafka (%s); starting again", e.getMessage());
                } else {
                    unexpectedFailures++;
                    LOG.errorf(e, "command consumer failed; starting again");
                }
                letGo(Set.copyOf(ownership.partitions()), false);
                pause(failures++);
            }
        }
    }

    private void consume() {
        if (!StartupTopics.await(bootstrapServers, config.kafka(), () -> !running, () -> {
        })) {
            // Stopping, or topics this instance must not use: it exits.
            running = false;
            return;
        }
        try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
             KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                     new ByteArrayDeserializer())) {
            admin = a;
            consumer = c;
            c.subscribe(List.of(Topics.ROOM_COMMANDS), new Rebalance(c));
            while (running) {
                var records = c.poll(POLL);
                ownership.group(c.groupMetadata());
                records.forEach(this::dispatch);
                resumeRestored(c);
                ready = true;
                unexpectedFailures = 0;
            }
        } finally {
            consumer = null;
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        var tracker = ownership.tracker(record.partition());
        if (tracker.isEmpty()) {
            LOG.warnf("command at offset %d of partition %d arrived for a partition not taken over; left for its owner",
                    record.offset(), record.partition());
            return;
        }
        OffsetTracker offsets = tracker.get();
        offsets.dispatched(record.offset());
        RoomCommand command;
        try {
            command = Json.read(record.value(), RoomCommand.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping unreadable command at offset %d of partition %d: %s", record.offset(),
                    record.partition(), e.getMessage());
            offsets.done(record.offset());
            return;
        }
        dispatched.increment();
        supervisor.dispatch(command, () -> offsets.done(record.offset()));
    }

    /** Reads the partitions' positions and backups and restores their rooms, trying again until it succeeds. */
    private void takeOver(Set<Integer> partitions, Object token) {
        int failures = 0;
        while (running && stillTakingOver(partitions, token)) {
            try {
                long started = System.nanoTime();
                Map<Integer, Long> positions = backups.positions(admin, partitions);
                long positioned = System.nanoTime();
                BackupReader.Backups found = backups.read(admin, partitions);
                synchronized (takeovers) {
                    if (!stillTakingOver(partitions, token)) {
                        return;
                    }
                    positions.forEach(ownership::taken);
                }
                found.unreadable().forEach(supervisor::closeUnreadable);
                synchronized (takeovers) {
                    if (!stillTakingOver(partitions, token)) {
                        return;
                    }
                    found.rooms().values().forEach(supervisor::restore);
                    partitions.forEach(takeovers::remove);
                }
                if (!found.unreadable().isEmpty()) {
                    unreadableBackups.increment(found.unreadable().size());
                }
                restored.add(positions);
                // Where a takeover's time goes: waiting for offsets the previous owner's open transaction holds,
                // or reading backups.
                LOG.infof("took over partitions %s with %d rooms in %d ms (offsets %d ms, backups %d ms)", partitions,
                        found.rooms().size(), (System.nanoTime() - started) / 1_000_000,
                        (positioned - started) / 1_000_000, (System.nanoTime() - positioned) / 1_000_000);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("taking over partitions %s failed (%s); trying again", partitions, e.getMessage());
                pause(failures++);
            }
        }
    }

    private boolean stillTakingOver(Set<Integer> partitions, Object token) {
        return partitions.stream().allMatch(p -> takeovers.get(p) == token);
    }

    /** On the polling thread: partitions whose rooms are restored are read again from where their owner stopped. */
    private void resumeRestored(KafkaConsumer<String, byte[]> c) {
        for (Map<Integer, Long> done; (done = restored.poll()) != null; ) {
            Map<Integer, Long> positions = done;
            List<TopicPartition> resumed = positions.keySet().stream()
                    .map(p -> new TopicPartition(Topics.ROOM_COMMANDS, p))
                    .filter(c.assignment()::contains)
                    .toList();
            resumed.forEach(p -> c.seek(p, positions.get(p.partition())));
            c.resume(resumed);
        }
    }

    /**
     * Lets go of the partitions' rooms. Gracefully, rooms finish the command in progress and commit it while
     * this instance still owns them; otherwise another instance may own them already, so their writes are
     * refused at once.
     */
    private void letGo(Set<Integer> partitions, boolean graceful) {
        if (partitions.isEmpty()) {
            return;
        }
        synchronized (takeovers) {
            partitions.forEach(takeovers::remove);
        }
        if (!graceful) {
            ownership.released(partitions);
        }
        int count = config.kafka().partitions();
        supervisor.handOver(roomId -> partitions.contains(Partitions.of(roomId, count)), HANDOVER_WAIT);
        ownership.released(partitions);
        LOG.infof("handed over partitions %s", partitions);
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId(),
                // Names the process, so that an operator can tell which instance owns which partitions.
                ConsumerConfig.CLIENT_ID_CONFIG, "room-service-" + ProcessHandle.current().pid(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Only partitions that really move are revoked: rooms elsewhere keep running undisturbed.
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.kafka().sessionTimeout().toMillis(),
                // Frequent heartbeats: a survivor learns of a rebalance sooner, so rooms move sooner.
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(250, config.kafka().sessionTimeout().toMillis() / 3),
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
    }

    private void pause(int failures) {
        LockSupport.parkNanos(BACKOFF.after(failures).toNanos());
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

        private final KafkaConsumer<String, byte[]> consumer;

        Rebalance(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ownership.group(consumer.groupMetadata());
            if (partitions.isEmpty()) {
                return;
            }
            consumer.pause(partitions);
            // A position of its own, so that the consumer does not ask for the committed one while the takeover
            // waits for it (the previous owner may have left a transaction open): the takeover seeks to it.
            partitions.forEach(p -> consumer.seek(p, 0));
            Set<Integer> numbers = numbers(partitions);
            LOG.infof("assigned partitions %s; taking them over", numbers);
            Object token = new Object();
            numbers.forEach(p -> takeovers.put(p, token));
            Thread.ofVirtual().name("takeover-" + numbers).start(() -> takeOver(numbers, token));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // This instance is a member of the new generation already: its rooms' last writes commit with it.
            ownership.group(consumer.groupMetadata());
            letGo(numbers(partitions), true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            letGo(numbers(partitions), false);
        }

        private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        }
    }
}
