package dev.switchboard.room.migration;

import dev.switchboard.contracts.messaging.KafkaFutures;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Grows the partition count of {@code room-commands} and {@code room-state}, room-service's unit of ownership,
 * with every room-service instance stopped (docs/operations.md, "Growing the partition count"). Kafka sends a
 * room's commands to {@code Partitions.of(roomId, count)}, and an owner looks for the room's backup on the same
 * partition number of {@code room-state}, so each backup is written to its new partition and its old copy erased
 * by a tombstone on the old partition, which compaction would otherwise keep for ever. The other topics keep their
 * count: their readers take a topic whole (room-status, room-events) or by its own count (room-replies), and
 * history relies on each call's events staying in order on one partition.
 * <p>
 * Safe to run again after a failure, or when done: what is already in place is not written again.
 */
public final class PartitionMigration {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientConfig;
    private final String groupId;
    private final PrintStream out;

    /**
     * @param clientConfig the Kafka client settings: bootstrap servers and whatever TLS or SASL the cluster needs
     * @param groupId      room-service's consumer group ({@code switchboard.kafka.group-id})
     */
    public PartitionMigration(Map<String, Object> clientConfig, String groupId, PrintStream out) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.groupId = groupId;
        this.out = out;
    }

    /** What the migration did, in records written. */
    public record Result(int rooms, int backupsMoved, int tombstones, int commandsMoved) {
    }

    /**
     * The commands of one partition of room-commands that room-service's group has not committed, up to offset
     * {@code to}, and how many of them belong on another partition under the new count.
     */
    private record Pending(long to, List<ConsumerRecord<String, byte[]>> commands, long misplaced) {
    }

    /** Why the migration does not run: nothing has been changed. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param partitions the count to grow to
     * @param force      move commands that room-service has not handled yet to their rooms' new partitions, rather
     *                   than refuse
     * @throws Refused when a precondition does not hold, before anything is changed
     */
    public Result growTo(int partitions, boolean force) {
        try (Admin admin = Admin.create(clientConfig)) {
            Map<String, Integer> counts = counts(admin);
            counts.forEach((topic, count) -> {
                if (count > partitions) {
                    throw new Refused(topic + " has " + count + " partitions already; Kafka cannot take partitions away");
                }
            });
            requireNoInstance(admin);
            // Commands already on their rooms' new partitions reach the right owner: only the others matter.
            Map<TopicPartition, Pending> pending = pendingCommands(admin, counts.get(Topics.ROOM_COMMANDS), partitions);
            if (!pending.isEmpty() && !force) {
                throw new Refused("room-service has not handled every command yet, and some would reach an instance"
                        + " that does not own their room: " + describe(pending) + ". Start room-service and stop it"
                        + " again once it has, or run with --force to move them to their rooms' new partitions");
            }
            grow(admin, counts, partitions);
            int commandsMoved = moveCommands(admin, pending, partitions);
            return moveBackups(partitions, commandsMoved);
        }
    }

    private Map<String, Integer> counts(Admin admin) {
        List<String> topics = List.of(Topics.ROOM_COMMANDS, Topics.ROOM_STATE);
        Map<String, Integer> counts = new LinkedHashMap<>();
        KafkaFutures.await(admin.describeTopics(topics).allTopicNames(), "describe " + topics)
                .forEach((topic, description) -> counts.put(topic, description.partitions().size()));
        out.printf("%s has %d partitions, %s has %d%n", Topics.ROOM_COMMANDS, counts.get(Topics.ROOM_COMMANDS),
                Topics.ROOM_STATE, counts.get(Topics.ROOM_STATE));
        return counts;
    }

    /** An instance running meanwhile would write backups and take commands on partitions that are moving under it. */
    private void requireNoInstance(Admin admin) {
        ConsumerGroupDescription group;
        try {
            group = KafkaFutures.await(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId),
                    "describe group " + groupId);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            throw new Refused("room-service instances are running (group " + groupId + ": " + group.members().stream()
                    .map(member -> member.clientId() + "@" + member.host()).toList() + "); stop every one first");
        }
    }

    /** The partitions of room-commands with commands the group has not committed yet, some of them misplaced. */
    private Map<TopicPartition, Pending> pendingCommands(Admin admin, int count, int partitionsAfter) {
        List<TopicPartition> partitions = partitions(Topics.ROOM_COMMANDS, count);
        Map<TopicPartition, OffsetAndMetadata> committed = KafkaFutures.await(admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata(), "read the offsets of group " + groupId);
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Pending> pending = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> reader = reader()) {
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                // Without a commit the group starts at the earliest record it finds (auto.offset.reset=earliest).
                long from = Math.max(earliest.get(partition), offset == null ? 0 : offset.offset());
                List<ConsumerRecord<String, byte[]>> commands = new ArrayList<>();
                readRange(reader, partition, from, latest.get(partition), commands::add);
                long misplaced = commands.stream()
                        .filter(command -> Partitions.of(command.key(), partitionsAfter) != partition.partition()).count();
                if (misplaced > 0) {
                    pending.put(partition, new Pending(latest.get(partition), commands, misplaced));
                }
            }
        }
        return pending;
    }

    private void grow(Admin admin, Map<String, Integer> counts, int partitions) {
        Map<String, NewPartitions> growing = new HashMap<>();
        counts.forEach((topic, count) -> {
            if (count < partitions) {
                growing.put(topic, NewPartitions.increaseTo(partitions));
            }
        });
        if (!growing.isEmpty()) {
            KafkaFutures.await(admin.createPartitions(growing).all(), "grow " + growing.keySet());
            out.printf("grew %s to %d partitions%n", growing.keySet(), partitions);
        }
    }

    /**
     * Copies the pending commands of each partition that holds misplaced ones to their rooms' new partitions, in the
     * order of the old one, and commits that partition past them: a room's commands are all on one partition, so they
     * stay in order, and one left where it is would reach an instance that does not own its room. Those that stay
     * on their partition are copied too, after the commit's offset, as the commit cannot skip the others alone.
     */
    private int moveCommands(Admin admin, Map<TopicPartition, Pending> pending, int partitions) {
        if (pending.isEmpty()) {
            return 0;
        }
        int moved = 0;
        try (KafkaProducer<String, byte[]> writer = writer()) {
            for (Pending commands : pending.values()) {
                commands.commands().stream().map(record -> writer.send(new ProducerRecord<>(Topics.ROOM_COMMANDS,
                                Partitions.of(record.key(), partitions), record.timestamp(), record.key(), record.value(),
                                record.headers())))
                        .toList().forEach(PartitionMigration::await);
                moved += commands.commands().size();
            }
        }
        Map<TopicPartition, OffsetAndMetadata> past = new HashMap<>();
        pending.forEach((partition, commands) -> past.put(partition, new OffsetAndMetadata(commands.to())));
        KafkaFutures.await(admin.alterConsumerGroupOffsets(groupId, past).all(),
                "commit the moved commands of group " + groupId);
        out.printf("moved %d commands room-service had not handled to their rooms' partitions%n", moved);
        return moved;
    }

    private Result moveBackups(int partitions, int commandsMoved) {
        Map<String, Map<Integer, ConsumerRecord<String, byte[]>>> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = reader()) {
            for (TopicPartition partition : partitions(Topics.ROOM_STATE, partitions)) {
                long start = reader.beginningOffsets(List.of(partition)).get(partition);
                long end = reader.endOffsets(List.of(partition)).get(partition);
                readRange(reader, partition, start, end, record ->
                        latest.computeIfAbsent(record.key(), key -> new HashMap<>()).put(record.partition(), record));
            }
        }
        List<ProducerRecord<String, byte[]>> copies = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> tombstones = new ArrayList<>();
        int rooms = 0;
        for (Map.Entry<String, Map<Integer, ConsumerRecord<String, byte[]>>> room : latest.entrySet()) {
            String roomId = room.getKey();
            int target = Partitions.of(roomId, partitions);
            List<ConsumerRecord<String, byte[]>> live = room.getValue().values().stream()
                    .filter(record -> record.value() != null).toList();
            if (live.isEmpty()) {
                continue;
            }
            rooms++;
            ConsumerRecord<String, byte[]> backup = backupOf(roomId, live, target);
            ConsumerRecord<String, byte[]> there = room.getValue().get(target);
            if (there == null || there.value() == null || !Arrays.equals(there.value(), backup.value())) {
                copies.add(new ProducerRecord<>(Topics.ROOM_STATE, target, backup.timestamp(), roomId, backup.value(),
                        backup.headers()));
            }
            live.stream().filter(record -> record.partition() != target).forEach(record ->
                    tombstones.add(new ProducerRecord<>(Topics.ROOM_STATE, record.partition(), roomId, null)));
        }
        // Copies first: a run that stops half-way leaves every room a backup, and the next run finds it.
        try (KafkaProducer<String, byte[]> writer = writer()) {
            copies.stream().map(writer::send).toList().forEach(PartitionMigration::await);
            tombstones.stream().map(writer::send).toList().forEach(PartitionMigration::await);
        }
        out.printf("%d rooms: %d backups moved to their new partitions, %d old copies erased%n",
                rooms, copies.size(), tombstones.size());
        return new Result(rooms, copies.size(), tombstones.size(), commandsMoved);
    }

    /**
     * A room's backup: the one on its new partition once there (this tool or an owner under the new count wrote
     * it), else the one on its old partition. Several old ones come only from a migration to another count that
     * did not finish: the latest written wins, as the copies keep the time of what they copy.
     */
    private ConsumerRecord<String, byte[]> backupOf(String roomId, List<ConsumerRecord<String, byte[]>> live, int target) {
        return live.stream().filter(record -> record.partition() == target).findFirst().orElseGet(() -> {
            if (live.size() > 1) {
                out.printf("room %s has backups on partitions %s; taking the latest%n", roomId,
                        live.stream().map(ConsumerRecord::partition).toList());
            }
            return live.stream().max(Comparator.comparingLong(ConsumerRecord::timestamp)).orElseThrow();
        });
    }

    private void readRange(KafkaConsumer<String, byte[]> reader, TopicPartition partition, long from, long to,
                           Consumer<ConsumerRecord<String, byte[]>> each) {
        reader.assign(List.of(partition));
        reader.seek(partition, from);
        while (reader.position(partition) < to) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                if (record.offset() < to) {
                    each.accept(record);
                }
            }
        }
    }

    private KafkaConsumer<String, byte[]> reader() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // room-service writes its backups in transactions: an aborted one is no backup.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // An offset gone under the reader must fail the run, never skip what it would have read.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> writer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        KafkaFutures.await(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
                "list the offsets of " + Topics.ROOM_COMMANDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(partition -> new TopicPartition(topic, partition)).toList();
    }

    private static String describe(Map<TopicPartition, Pending> pending) {
        return pending.entrySet().stream().map(entry -> "%d of %d on partition %d".formatted(entry.getValue().misplaced(),
                entry.getValue().commands().size(), entry.getKey().partition())).toList().toString();
    }

    private static void await(Future<RecordMetadata> send) {
        KafkaFutures.await(send, "write to Kafka");
    }
}
