package dev.switchboard.room.migration;

import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The partition migration against a real broker: backups written at 8 partitions, grown to 16. */
class PartitionMigrationTest {

    private static final String GROUP = "room-service";
    private static final int BEFORE = 8;
    private static final int AFTER = 16;
    private static final List<String> ROOMS = IntStream.range(0, 60).mapToObj(i -> "room-" + i).toList();
    private static final List<String> CLOSED = IntStream.range(0, 6).mapToObj(i -> "closed-" + i).toList();

    private EmbeddedKafka kafka;
    private KafkaProducer<String, String> producer;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
        TopicCreator.ensureTopics(kafka.bootstrapServers(), BEFORE, (short) 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void closeBroker() {
        producer.close();
        kafka.close();
    }

    @Test
    void everyRoomIsFoundOnExactlyItsNewPartitionAndNoneIsResurrected() {
        // As room-service backs up: keyed by room, on the default partitioner's partition, several times each.
        ROOMS.forEach(room -> send(Topics.ROOM_STATE, room, backup(room, 1), backup(room, 2)));
        CLOSED.forEach(room -> send(Topics.ROOM_STATE, room, backup(room, 1), null));
        assertThat(ownedBackups(BEFORE)).containsOnlyKeys(ROOMS);

        PartitionMigration.Result result = migration().growTo(AFTER, false);

        Map<String, List<Integer>> found = new HashMap<>();
        Map<String, String> rooms = new HashMap<>();
        roomsByPartition(AFTER).forEach((partition, restored) -> restored.forEach((room, backup) -> {
            found.computeIfAbsent(room, r -> new ArrayList<>()).add(partition);
            rooms.put(room, backup);
        }));
        assertThat(found).containsOnlyKeys(ROOMS);
        ROOMS.forEach(room -> {
            assertThat(found.get(room)).as(room).containsExactly(Partitions.of(room, AFTER));
            assertThat(rooms.get(room)).as("the latest backup of " + room).isEqualTo(backup(room, 2));
        });
        long moving = ROOMS.stream().filter(room -> Partitions.of(room, AFTER) != Partitions.of(room, BEFORE)).count();
        assertThat(moving).isPositive();
        assertThat(result).isEqualTo(new PartitionMigration.Result(ROOMS.size(), (int) moving, (int) moving, 0));
        assertThat(partitionCounts()).containsEntry(Topics.ROOM_COMMANDS, AFTER).containsEntry(Topics.ROOM_STATE, AFTER)
                .containsEntry(Topics.ROOM_STATUS, BEFORE).containsEntry(Topics.ROOM_EVENTS, BEFORE)
                .containsEntry(Topics.ROOM_REPLIES, BEFORE);
    }

    @Test
    void runningItAgainWritesNothing() {
        ROOMS.forEach(room -> send(Topics.ROOM_STATE, room, backup(room, 1)));
        migration().growTo(AFTER, false);
        Map<TopicPartition, Long> ends = ends(Topics.ROOM_STATE, AFTER);

        PartitionMigration.Result again = migration().growTo(AFTER, false);

        assertThat(again).isEqualTo(new PartitionMigration.Result(ROOMS.size(), 0, 0, 0));
        assertThat(ends(Topics.ROOM_STATE, AFTER)).isEqualTo(ends);
    }

    @Test
    void aRunThatStoppedAfterCopyingIsFinishedByTheNext() {
        ROOMS.forEach(room -> send(Topics.ROOM_STATE, room, backup(room, 1)));
        // As a run that grew the topics and wrote the copies, then stopped before its tombstones.
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of(Topics.ROOM_STATE, org.apache.kafka.clients.admin.NewPartitions.increaseTo(AFTER)))
                    .all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ROOMS.forEach(room -> producer.send(new ProducerRecord<>(Topics.ROOM_STATE, Partitions.of(room, AFTER), room,
                backup(room, 1))));
        producer.flush();

        PartitionMigration.Result result = migration().growTo(AFTER, false);

        assertThat(result.backupsMoved()).isZero();
        assertThat(result.tombstones()).isPositive();
        Map<Integer, Map<String, String>> restored = roomsByPartition(AFTER);
        ROOMS.forEach(room -> assertThat(restored.get(Partitions.of(room, BEFORE))).as(room).satisfiesAnyOf(
                onOld -> assertThat(Partitions.of(room, BEFORE)).isEqualTo(Partitions.of(room, AFTER)),
                onOld -> assertThat(onOld).doesNotContainKey(room)));
    }

    @Test
    void commandsNotHandledYetAreRefusedUnlessForcedAndThenMovedInOrder() {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        ROOMS.subList(0, 20).forEach(room -> commands.put(room, List.of(room + "/join", room + "/publish", room + "/leave")));
        commands.forEach((room, sent) -> send(Topics.ROOM_COMMANDS, room, sent.toArray(String[]::new)));

        assertThatThrownBy(() -> migration().growTo(AFTER, false))
                .isInstanceOf(PartitionMigration.Refused.class)
                .hasMessageContaining("has not handled every command yet").hasMessageContaining("--force");
        assertThat(partitionCounts()).containsEntry(Topics.ROOM_COMMANDS, BEFORE).containsEntry(Topics.ROOM_STATE, BEFORE);

        PartitionMigration.Result result = migration().growTo(AFTER, true);

        // A partition with a command to move has all its pending ones copied, in order, after the offset committed.
        Set<Integer> moving = commands.keySet().stream().filter(room -> Partitions.of(room, AFTER) != Partitions.of(room, BEFORE))
                .map(room -> Partitions.of(room, BEFORE)).collect(Collectors.toSet());
        assertThat(moving).isNotEmpty();
        assertThat(result.commandsMoved()).isEqualTo(3 * (int) commands.keySet().stream()
                .filter(room -> moving.contains(Partitions.of(room, BEFORE))).count());
        Map<String, List<Integer>> partitionsOf = new HashMap<>();
        Map<String, List<String>> received = new HashMap<>();
        unhandledCommands().forEach(record -> {
            partitionsOf.computeIfAbsent(record.key(), room -> new ArrayList<>()).add(record.partition());
            received.computeIfAbsent(record.key(), room -> new ArrayList<>()).add(record.value());
        });
        assertThat(received).isEqualTo(commands);
        commands.keySet().forEach(room -> assertThat(Set.copyOf(partitionsOf.get(room))).as(room)
                .containsExactly(Partitions.of(room, AFTER)));
        assertThat(migration().growTo(AFTER, false).commandsMoved()).isZero();
    }

    @Test
    void aRunningInstanceIsRefused() {
        try (KafkaConsumer<String, String> instance = consumer(GROUP)) {
            instance.subscribe(List.of(Topics.ROOM_COMMANDS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                instance.poll(Duration.ofMillis(100));
                return !instance.assignment().isEmpty();
            });

            assertThatThrownBy(() -> migration().growTo(AFTER, false))
                    .isInstanceOf(PartitionMigration.Refused.class)
                    .hasMessageContaining("room-service instances are running");
        }
        assertThat(partitionCounts()).containsEntry(Topics.ROOM_COMMANDS, BEFORE);
    }

    @Test
    void partitionsAreNeverTakenAway() {
        assertThatThrownBy(() -> migration().growTo(4, true))
                .isInstanceOf(PartitionMigration.Refused.class)
                .hasMessageContaining("cannot take partitions away");
    }

    private PartitionMigration migration() {
        return new PartitionMigration(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), GROUP,
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private static String backup(String room, int version) {
        return "{\"roomId\":\"" + room + "\",\"version\":" + version + ",\"format\":\"1.0\"}";
    }

    /**
     * The rooms an owner of each partition of room-state restores, as room-service does: every record of the
     * partition from its beginning, the latest of a room winning and a tombstone erasing it.
     */
    private Map<Integer, Map<String, String>> roomsByPartition(int partitions) {
        Map<Integer, Map<String, String>> rooms = new HashMap<>();
        List<TopicPartition> state = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(Topics.ROOM_STATE, p)).toList();
        try (KafkaConsumer<String, String> reader = consumer(null)) {
            reader.assign(state);
            reader.seekToBeginning(state);
            Map<TopicPartition, Long> end = reader.endOffsets(state);
            while (state.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100))) {
                    Map<String, String> restored = rooms.computeIfAbsent(record.partition(), p -> new HashMap<>());
                    if (record.value() == null) {
                        restored.remove(record.key());
                    } else {
                        restored.put(record.key(), record.value());
                    }
                }
            }
        }
        state.forEach(p -> rooms.putIfAbsent(p.partition(), Map.of()));
        return rooms;
    }

    /** Which partition holds each room's backup, checking it is the one room-service looks on at {@code partitions}. */
    private Map<String, Integer> ownedBackups(int partitions) {
        Map<String, Integer> owners = new HashMap<>();
        roomsByPartition(partitions).forEach((partition, restored) -> restored.keySet().forEach(room -> {
            assertThat(Partitions.of(room, partitions)).as(room).isEqualTo(partition);
            owners.put(room, partition);
        }));
        return owners;
    }

    /** What room-service's group would read next, from its committed offsets on. */
    private List<ConsumerRecord<String, String>> unhandledCommands() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        List<TopicPartition> partitions = IntStream.range(0, AFTER)
                .mapToObj(p -> new TopicPartition(Topics.ROOM_COMMANDS, p)).toList();
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = admin()) {
            committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (KafkaConsumer<String, String> reader = consumer(null)) {
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            committed.forEach((partition, offset) -> reader.seek(partition, offset.offset()));
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                reader.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private Map<String, Integer> partitionCounts() {
        try (Admin admin = admin()) {
            return admin.describeTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList()).allTopicNames().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().partitions().size()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, Long> ends(String topic, int partitions) {
        try (KafkaConsumer<String, String> reader = consumer(null)) {
            return reader.endOffsets(IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList());
        }
    }

    private void send(String topic, String key, String... values) {
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, key, value));
        }
        producer.flush();
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
