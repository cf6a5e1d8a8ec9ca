package dev.switchboard.room.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.kafka.EmbeddedKafka;
import dev.switchboard.room.room.RoomState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a new owner reads of its partitions: against a real broker, with transactions open, aborted and committed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupReaderTest {

    private static final int PARTITIONS = 4;
    private static final List<Integer> ALL = IntStream.range(0, PARTITIONS).boxed().toList();

    private EmbeddedKafka kafka;
    private Admin admin;
    private BackupReader reader;

    @BeforeAll
    void startKafka() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
        TopicCreator.ensureTopics(kafka.bootstrapServers(), PARTITIONS, (short) 1);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        reader = new BackupReader(kafka.bootstrapServers(), "backup-reader-test");
        // The topics' leaders are elected by now: no test's read meets a broker still settling.
        reader.read(admin, ALL);
    }

    @AfterAll
    void stop() {
        admin.close();
        kafka.close();
    }

    @Test
    void theLatestReadableBackupOfEachRoomIsRestoredAndAnUnreadableOneSetAside() {
        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            send(producer, "kept", backup("kept", 1));
            send(producer, "kept", backup("kept", 2));
            send(producer, "closed", backup("closed", 3));
            producer.send(new ProducerRecord<>(Topics.ROOM_STATE, "closed", null));
            producer.send(new ProducerRecord<>(Topics.ROOM_STATE, "garbled", "{not a room".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(Topics.ROOM_STATE, "mended", "{not a room".getBytes(StandardCharsets.UTF_8)));
            send(producer, "mended", backup("mended", 7));
        }

        BackupReader.Backups found = reader.read(admin, ALL);

        assertThat(found.rooms()).containsKeys("kept", "mended").doesNotContainKeys("closed", "garbled");
        assertThat(found.rooms().get("kept").version()).isEqualTo(2);
        assertThat(found.rooms().get("mended").version()).isEqualTo(7);
        assertThat(found.unreadable()).containsExactly("garbled");
    }

    @Test
    void aTransactionLeftOpenIsWaitedForAndAnAbortedOneNeverSeen() throws Exception {
        try (KafkaProducer<String, byte[]> aborted = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting"));
             KafkaProducer<String, byte[]> open = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "slow"))) {
            aborted.initTransactions();
            aborted.beginTransaction();
            send(aborted, "fenced", backup("fenced", 9));
            aborted.flush();
            aborted.abortTransaction();
            open.initTransactions();
            open.beginTransaction();
            send(open, "pending", backup("pending", 4));
            open.flush();

            // A thread of this test's own: the common pool's may carry the class loader of an earlier Quarkus test.
            CompletableFuture<BackupReader.Backups> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    read.complete(reader.read(admin, ALL));
                } catch (RuntimeException e) {
                    read.completeExceptionally(e);
                }
            });
            // A reader that stopped at what is committed so far would come back at once, without it.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    // join() rethrows a failed read's own error rather than hide it behind this check.
                    .failFast("the read came back while a transaction was open", () -> read.isDone() && read.join() != null)
                    .until(() -> !read.isDone());
            open.commitTransaction();

            BackupReader.Backups found = read.get();
            assertThat(found.rooms()).containsKey("pending").doesNotContainKey("fenced");
            assertThat(found.rooms().get("pending").version()).isEqualTo(4);
        }
    }

    @Test
    void aPartitionNoOwnerCommittedStartsAtItsBeginning() {
        assertThat(reader.positions(admin, ALL)).containsOnlyKeys(ALL).allSatisfy((partition, offset) ->
                assertThat(offset).isZero());
    }

    private KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> settings = new java.util.HashMap<>(extra);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String roomId, RoomState state) {
        producer.send(new ProducerRecord<>(Topics.ROOM_STATE, roomId, Json.writeBytes(state)));
    }

    private static RoomState backup(String roomId, long version) {
        ObjectNode backup = Json.mapper().valueToTree(RoomState.empty(roomId));
        backup.put("pipelineId", "pipeline-of-" + roomId).put("version", version);
        return Json.mapper().convertValue(backup, RoomState.class);
    }
}
