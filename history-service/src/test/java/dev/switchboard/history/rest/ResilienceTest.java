package dev.switchboard.history.rest;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.events.EventData.CallEnded;
import dev.switchboard.contracts.events.EventData.ParticipantJoined;
import dev.switchboard.contracts.events.EventData.ParticipantLeft;
import dev.switchboard.contracts.events.EventData.StreamPublished;
import dev.switchboard.contracts.events.EventData.StreamSubscribed;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.PostgresTestResource;
import dev.switchboard.history.CallScript;
import dev.switchboard.history.RoomEventProducer;
import dev.switchboard.history.call.CallHistoryService;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.switchboard.history.rest.CallHistoryApiTest.awaitCall;
import static dev.switchboard.history.rest.CallHistoryApiTest.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.EMBEDDED, value = "true"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = PostgresTestResource.EMBEDDED, value = "true"))
class ResilienceTest {

    /** The history in a form that compares: every table, in a fixed order, without surrogate keys. */
    private static final List<String> SNAPSHOT = List.of(
            "SELECT call_id, room_id, state, started_at, ended_at, duration_seconds, end_reason, peak_participants,"
                    + " last_sequence FROM calls ORDER BY call_id",
            "SELECT call_id, participant_id, user_id, name, joined_at, left_at, duration_seconds, leave_reason,"
                    + " reconnections, connected FROM participants ORDER BY call_id, participant_id",
            "SELECT s.call_id, s.stream_id, s.participant_id, s.kind, s.published_at, s.unpublished_at,"
                    + " s.peak_subscribers, s.audio, s.video, (SELECT string_agg(participant_id, ',' ORDER BY position)"
                    + " FROM stream_subscribers ss WHERE ss.stream_pk = s.id) FROM streams s ORDER BY call_id, stream_id",
            "SELECT call_id, event_id, sequence, kind, detail FROM call_anomalies"
                    + " ORDER BY call_id, sequence, kind, event_id, detail",
            "SELECT event_id, call_id, room_id, sequence, type, event_time, data::text FROM call_events ORDER BY event_id");

    private static RoomEventProducer kafka;

    @Inject
    DataSource dataSource;

    @Inject
    CallHistoryService history;

    @BeforeAll
    static void connect() {
        kafka = new RoomEventProducer();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void eventsPublishedWhilePostgresIsDownAreAppliedOnceWhenItIsBack() {
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-04-01T10:00:00Z"));
        List<RoomEvent> events = twoPeopleTalk(call);
        double retriesBefore = retries();
        PostgresTestResource.postgres().stop();
        try {
            kafka.send(events);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
            // the consumer keeps trying while the database is away
            await().atMost(Duration.ofSeconds(20)).until(() -> retries() >= retriesBefore + 3);
        } finally {
            PostgresTestResource.postgres().restart();
        }

        assertTalk(awaitCall(call.callId, events.size()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aKafkaRestartLosesAndDoublesNothing() {
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-04-02T10:00:00Z"));
        List<RoomEvent> events = twoPeopleTalk(call);
        kafka.send(events.subList(0, 3));
        awaitCall(call.callId, 3);

        KafkaTestResource.kafka().restart();
        kafka.send(events.subList(3, events.size()));

        assertTalk(awaitCall(call.callId, events.size()));
    }

    @Test
    void replayingTheTopicIntoAnEmptyDatabaseGivesTheSameHistory() throws SQLException {
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-04-03T10:00:00Z"));
        List<RoomEvent> events = twoPeopleTalk(call);
        // out of order and twice: what a replay must reproduce exactly
        kafka.send(events.get(0), events.get(1), events.get(3), events.get(2), events.get(1));
        kafka.send(events.subList(4, events.size()));
        awaitCall(call.callId, events.size());

        Map<String, RoomEvent> topic = readTopicFromTheStart(setAside());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM call_events") == topic.size());
        List<String> before = snapshot();

        execute("TRUNCATE calls, participants, streams, stream_subscribers, call_anomalies, call_events");
        List<RoomEvent> all = List.copyOf(topic.values());
        // batches cut differently from the first time round
        for (int from = 0; from < all.size(); from += 7) {
            history.apply(all.subList(from, Math.min(all.size(), from + 7)), List.of());
        }

        assertThat(snapshot()).containsExactlyElementsOf(before);
    }

    private static double retries() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("switchboard_history_batch_retries_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<RoomEvent> twoPeopleTalk(CallScript call) {
        return List.of(
                call.started(),
                call.afterSeconds(2, new ParticipantJoined("p-1", "ivy", "Ivy")),
                call.afterSeconds(3, new ParticipantJoined("p-2", "jack", "Jack")),
                call.afterSeconds(1, new StreamPublished("p-1", "s-1", StreamKind.CAMERA)),
                call.afterSeconds(1, new StreamSubscribed("p-2", "s-1")),
                call.afterSeconds(60, new ParticipantLeft("p-2", EndReason.LEAVE_ROOM)),
                call.afterSeconds(4, new ParticipantLeft("p-1", EndReason.LEAVE_ROOM)),
                call.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, null)));
    }

    private static void assertTalk(JsonPath details) {
        assertThat(details.getString("state")).isEqualTo("ended");
        assertThat(details.getLong("durationSeconds")).isEqualTo(71);
        assertThat(details.getList("participants.durationSeconds", Long.class)).containsExactly(69L, 62L);
        assertThat(details.getList("streams")).hasSize(1);
        assertThat(details.getInt("streams[0].peakSubscribers")).isEqualTo(1);
        assertThat(details.getList("anomalies")).isEmpty();
    }

    /**
     * Every room event of the topic once, in offset order per partition, as a new consumer group reads it,
     * except the records the service has set aside as unreadable.
     */
    private static Map<String, RoomEvent> readTopicFromTheStart(Set<String> setAside) {
        Map<String, RoomEvent> events = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RoomEventProducer.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROOM_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (!setAside.contains(record.partition() + "@" + record.offset())) {
                        readable(record.value()).ifPresent(event -> events.putIfAbsent(event.id(), event));
                    }
                }
            }
        }
        return events;
    }

    private static Optional<RoomEvent> readable(byte[] value) {
        try {
            return Optional.of(Json.read(value, RoomEvent.class)).filter(e -> e.data() != null);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Set<String> setAside() throws SQLException {
        Set<String> records = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT partition, record_offset FROM unreadable_records")) {
            while (result.next()) {
                records.add(result.getInt(1) + "@" + result.getLong(2));
            }
        }
        return records;
    }

    private List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String query : SNAPSHOT) {
                try (ResultSet result = statement.executeQuery(query)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(result.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private long count(String query) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
