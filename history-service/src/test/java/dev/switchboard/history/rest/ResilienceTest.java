package dev.switchboard.history.rest;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.events.EventData.CallEnded;
import dev.switchboard.contracts.events.EventData.MediaServerLost;
import dev.switchboard.contracts.events.EventData.MediaServerRecovered;
import dev.switchboard.contracts.events.EventData.ParticipantDisconnected;
import dev.switchboard.contracts.events.EventData.ParticipantJoined;
import dev.switchboard.contracts.events.EventData.ParticipantLeft;
import dev.switchboard.contracts.events.EventData.ParticipantReconnected;
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
import dev.switchboard.history.config.HistoryConfig;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.switchboard.history.rest.CallHistoryApiTest.asAdmin;
import static dev.switchboard.history.rest.CallHistoryApiTest.awaitCall;
import static dev.switchboard.history.rest.CallHistoryApiTest.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
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

    /** How long PostgreSQL is away: what the service must ride out without losing or doubling anything. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private static RoomEventProducer kafka;
    private static Admin admin;

    @Inject
    DataSource dataSource;

    @Inject
    CallHistoryService history;

    @Inject
    HistoryConfig config;

    @BeforeAll
    static void connect() {
        kafka = new RoomEventProducer();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RoomEventProducer.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        admin.close();
    }

    /**
     * PostgreSQL is away for a full minute, and Kafka restarts meanwhile, while room-service goes on publishing:
     * five calls, one finished before the outage, one cut by it, one wholly inside it, one that ends after it,
     * one after it, and events published twice. Nothing may be committed to Kafka while nothing can be stored;
     * afterwards every event is in the history once and every call and participant comes out as if there had
     * been no outage.
     */
    @Test
    void aMinuteWithoutPostgresLosesAndDoublesNothing() throws SQLException {
        Instant day = Instant.parse("2026-04-01T10:00:00Z");

        CallScript finished = new CallScript(unique("room"), day);
        List<RoomEvent> finishedEvents = twoPeopleTalk(finished);

        CallScript cut = new CallScript(unique("room"), day.plusSeconds(600));
        List<RoomEvent> cutEvents = List.of(
                cut.started(),
                cut.afterSeconds(1, new ParticipantJoined("p-1", "ada", "Ada")),
                cut.afterSeconds(2, new ParticipantJoined("p-2", "bo", "Bo")),
                cut.afterSeconds(1, new StreamPublished("p-1", "s-1", StreamKind.CAMERA)),
                // from here on, during the outage
                cut.afterSeconds(10, new ParticipantDisconnected("p-2")),
                cut.afterSeconds(5, new ParticipantReconnected("p-2")),
                cut.afterSeconds(1, new StreamSubscribed("p-2", "s-1")),
                cut.afterSeconds(30, new ParticipantLeft("p-2", EndReason.NETWORK_DISCONNECT)),
                cut.afterSeconds(20, new ParticipantLeft("p-1", EndReason.LEAVE_ROOM)),
                cut.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, null)));

        CallScript inside = new CallScript(unique("room"), day.plusSeconds(1200));
        List<RoomEvent> insideEvents = List.of(
                inside.started(),
                inside.afterSeconds(3, new ParticipantJoined("p-1", "cy", "Cy")),
                inside.afterSeconds(4, new ParticipantJoined("p-2", "di", "Di")),
                inside.afterSeconds(2, new ParticipantJoined("p-3", "ed", "Ed")),
                inside.afterSeconds(1, new StreamPublished("p-3", "s-3", StreamKind.SCREEN)),
                inside.afterSeconds(1, new StreamSubscribed("p-1", "s-3")),
                inside.afterSeconds(1, new StreamSubscribed("p-2", "s-3")),
                inside.afterSeconds(40, new ParticipantLeft("p-2", EndReason.EVICTED)),
                // p-1 and p-3 are still there: they leave with the call
                inside.afterSeconds(50, new CallEnded(EndReason.CLOSED_BY_ADMIN, null)));

        CallScript across = new CallScript(unique("room"), day.plusSeconds(1800));
        List<RoomEvent> acrossEvents = List.of(
                across.started(),
                across.afterSeconds(1, new ParticipantJoined("p-1", "flo", "Flo")),
                across.afterSeconds(1, new ParticipantJoined("p-2", "gus", "Gus")),
                // from here on, after the outage
                across.afterSeconds(15, new ParticipantLeft("p-1", EndReason.LEAVE_ROOM)),
                across.afterSeconds(25, new ParticipantLeft("p-2", EndReason.LEAVE_ROOM)),
                across.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, null)));

        CallScript after = new CallScript(unique("room"), day.plusSeconds(2400));
        List<RoomEvent> afterEvents = List.of(
                after.started(),
                after.afterSeconds(2, new ParticipantJoined("p-1", "hal", "Hal")),
                after.afterSeconds(1, new MediaServerLost("ws://kms-1:8888/kurento")),
                after.afterSeconds(4, new MediaServerRecovered(true, "ws://kms-1:8888/kurento")),
                after.afterSeconds(30, new ParticipantLeft("p-1", EndReason.LEAVE_ROOM)),
                after.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, null)));

        List<RecordMetadata> published = new ArrayList<>(kafka.send(finishedEvents));
        published.addAll(kafka.send(cutEvents.subList(0, 4)));
        awaitCall(finished.callId, finishedEvents.size());
        awaitCall(cut.callId, 4);

        List<RecordMetadata> unapplied = new ArrayList<>();
        List<RecordMetadata> again = new ArrayList<>();
        Instant outageStart = Instant.now();
        PostgresTestResource.postgres().stop();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
            unapplied.addAll(kafka.send(cutEvents.subList(4, 7)));
            unapplied.addAll(kafka.send(insideEvents.subList(0, 3)));
            holdOutage(outageStart.plusSeconds(20), unapplied);

            unapplied.addAll(kafka.send(cutEvents.subList(7, cutEvents.size())));
            unapplied.addAll(kafka.send(insideEvents.subList(3, 7)));
            // delivered again: one stored before the outage, one not stored yet
            again.addAll(kafka.send(finishedEvents.get(1), insideEvents.getFirst()));
            holdOutage(outageStart.plusSeconds(40), concat(unapplied, again));

            KafkaTestResource.kafka().restart();
            unapplied.addAll(kafka.send(insideEvents.subList(7, insideEvents.size())));
            unapplied.addAll(kafka.send(acrossEvents.subList(0, 3)));
            holdOutage(outageStart.plus(OUTAGE), concat(unapplied, again));
            assertThat(Duration.between(outageStart, Instant.now())).isGreaterThanOrEqualTo(OUTAGE);
        } finally {
            PostgresTestResource.postgres().restart();
        }
        published.addAll(unapplied);
        published.addAll(kafka.send(acrossEvents.subList(3, acrossEvents.size())));
        published.addAll(kafka.send(afterEvents));
        again.addAll(kafka.send(cutEvents.get(4)));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        // every record, sent again or not, has been stored and then committed
        Map<TopicPartition, Long> last = offsets(concat(published, again), Math::max);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<TopicPartition, Long> committed = committed();
            last.forEach((partition, offset) -> assertThat(committed.getOrDefault(partition, 0L))
                    .as("committed offset of %s", partition).isGreaterThan(offset));
        });

        assertHistory(finished, finishedEvents, 71, EndReason.LAST_PARTICIPANT_LEFT,
                new Left("p-1", 69, EndReason.LEAVE_ROOM, 0), new Left("p-2", 62, EndReason.LEAVE_ROOM, 0));
        assertHistory(cut, cutEvents, 70, EndReason.LAST_PARTICIPANT_LEFT,
                new Left("p-1", 69, EndReason.LEAVE_ROOM, 0), new Left("p-2", 47, EndReason.NETWORK_DISCONNECT, 1));
        assertHistory(inside, insideEvents, 102, EndReason.CLOSED_BY_ADMIN,
                new Left("p-1", 99, EndReason.CLOSED_BY_ADMIN, 0), new Left("p-2", 45, EndReason.EVICTED, 0),
                new Left("p-3", 93, EndReason.CLOSED_BY_ADMIN, 0));
        assertHistory(across, acrossEvents, 42, EndReason.LAST_PARTICIPANT_LEFT,
                new Left("p-1", 16, EndReason.LEAVE_ROOM, 0), new Left("p-2", 40, EndReason.LEAVE_ROOM, 0));
        assertHistory(after, afterEvents, 37, EndReason.LAST_PARTICIPANT_LEFT,
                new Left("p-1", 35, EndReason.LEAVE_ROOM, 0));

        List<String> callIds = List.of(finished.callId, cut.callId, inside.callId, across.callId, after.callId);
        List<String> roomIds = List.of(finished.roomId, cut.roomId, inside.roomId, across.roomId, after.roomId);
        assertThat(count("SELECT count(*) FROM calls WHERE call_id = ANY(?)", callIds)).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM participants WHERE call_id = ANY(?)", callIds)).isEqualTo(10);
        // one stored event per event published, however often it was sent, and none skipped
        assertThat(count("SELECT count(*) FROM call_events WHERE call_id = ANY(?)", callIds))
                .isEqualTo(finishedEvents.size() + cutEvents.size() + insideEvents.size() + acrossEvents.size()
                        + afterEvents.size())
                .isEqualTo(published.size());
        assertThat(count("SELECT count(*) FROM unreadable_records WHERE record_key = ANY(?)", roomIds)).isZero();
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

    /**
     * Waits out the outage until {@code end}. All along, the consumer loop runs, readiness reports the database
     * down and no committed offset passes a record published during the outage; and the consumer goes on trying.
     */
    private void holdOutage(Instant end, List<RecordMetadata> unapplied) {
        Map<TopicPartition, Long> first = offsets(unapplied, Math::min);
        double retriesBefore = retries();
        Duration left = Duration.between(Instant.now(), end);
        Duration hold = left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
        await().during(hold).atMost(hold.plusSeconds(15)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("DOWN"));
            committed().forEach((partition, offset) -> {
                if (first.containsKey(partition)) {
                    assertThat(offset).as("committed offset of %s", partition)
                            .isLessThanOrEqualTo(first.get(partition));
                }
            });
        });
        assertThat(retries()).isGreaterThan(retriesBefore);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** Per partition, the lowest or highest offset of the records. */
    private static Map<TopicPartition, Long> offsets(List<RecordMetadata> records, BinaryOperator<Long> pick) {
        return records.stream().collect(Collectors.toMap(r -> new TopicPartition(r.topic(), r.partition()),
                RecordMetadata::offset, pick));
    }

    /** The offsets the history's consumer group has committed: the next record it would read, per partition. */
    private Map<TopicPartition, Long> committed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.history().groupId())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> committed.put(partition, offset == null ? 0L : offset.offset()));
        return committed;
    }

    /** A participant as the history must have them once the call has ended. */
    private record Left(String participantId, long durationSeconds, String leaveReason, int reconnections) {
    }

    /** The call ended as its events say, and its timeline holds each of them once, in sequence order. */
    private static void assertHistory(CallScript call, List<RoomEvent> events, long durationSeconds,
                                      String endReason, Left... participants) {
        JsonPath timeline = asAdmin().get("/calls/{id}/events", call.callId).then().statusCode(200)
                .extract().jsonPath();
        assertThat(timeline.getList("id")).containsExactlyElementsOf(events.stream().map(RoomEvent::id).toList());

        JsonPath details = asAdmin().get("/calls/{id}", call.callId).then().statusCode(200).extract().jsonPath();
        assertThat(details.getString("state")).isEqualTo("ended");
        assertThat(details.getString("roomId")).isEqualTo(call.roomId);
        assertThat(details.getLong("durationSeconds")).isEqualTo(durationSeconds);
        assertThat(details.getString("endReason")).isEqualTo(endReason);
        // in each of these calls, everyone was there at once
        assertThat(details.getInt("peakParticipants")).isEqualTo(participants.length);
        List<Left> actual = new ArrayList<>();
        for (int i = 0; i < details.getList("participants").size(); i++) {
            String participant = "participants[" + i + "].";
            actual.add(new Left(details.getString(participant + "participantId"),
                    details.getLong(participant + "durationSeconds"), details.getString(participant + "leaveReason"),
                    details.getInt(participant + "reconnections")));
        }
        assertThat(actual).as("participants of %s", call.callId).containsExactly(participants);
        assertThat(details.getList("anomalies")).isEmpty();
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

    private long count(String query, List<String> values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, connection.createArrayOf("text", values.toArray()));
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
