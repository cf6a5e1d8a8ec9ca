package dev.switchboard.history.rest;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.events.EventData.CallEnded;
import dev.switchboard.contracts.events.EventData.ParticipantDisconnected;
import dev.switchboard.contracts.events.EventData.ParticipantJoined;
import dev.switchboard.contracts.events.EventData.ParticipantLeft;
import dev.switchboard.contracts.events.EventData.ParticipantReconnected;
import dev.switchboard.contracts.events.EventData.StreamPublished;
import dev.switchboard.contracts.events.EventData.StreamSubscribed;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.PostgresTestResource;
import dev.switchboard.history.CallScript;
import dev.switchboard.history.RoomEventProducer;
import dev.switchboard.history.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, initArgs = @ResourceArg(name = KafkaTestResource.EMBEDDED, value = "true"))
@WithTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = PostgresTestResource.EMBEDDED, value = "true"))
class CallHistoryApiTest {

    private static final Duration HISTORY_LAG = Duration.ofSeconds(30);

    private static RoomEventProducer kafka;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void connect() {
        kafka = new RoomEventProducer();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void twoParticipantCallWithJoinAndLeaveTimesDurationsReasonsAndStreams() {
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        String alice = unique("alice");
        String bob = unique("bob");
        CallScript call = new CallScript(unique("room"), t0);
        List<RoomEvent> events = List.of(
                call.started(),
                call.afterSeconds(1, new ParticipantJoined("p-a", alice, "Alice")),
                call.afterSeconds(1, new StreamPublished("p-a", "s-a", StreamKind.CAMERA)),
                call.afterSeconds(8, new ParticipantJoined("p-b", bob, "Bob")),
                call.afterSeconds(1, new StreamSubscribed("p-b", "s-a")),
                call.afterSeconds(4, new ParticipantDisconnected("p-b")),
                call.afterSeconds(2, new ParticipantReconnected("p-b")),
                call.afterSeconds(30, new ParticipantLeft("p-b", EndReason.NETWORK_DISCONNECT)),
                call.afterSeconds(3, new ParticipantLeft("p-a", EndReason.LEAVE_ROOM)),
                call.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, call.time())));
        kafka.send(events);

        JsonPath details = awaitCall(call.callId, events.size());
        assertThat(details.getString("state")).isEqualTo("ended");

        assertThat(details.getString("roomId")).isEqualTo(call.roomId);
        assertThat(details.getString("startedAt")).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(details.getString("endedAt")).isEqualTo("2026-03-02T10:00:50Z");
        assertThat(details.getLong("durationSeconds")).isEqualTo(50);
        assertThat(details.getString("endReason")).isEqualTo(EndReason.LAST_PARTICIPANT_LEFT);
        assertThat(details.getInt("peakParticipants")).isEqualTo(2);
        assertThat(details.getList("participants.participantId")).containsExactly("p-a", "p-b");
        assertThat(details.getList("participants.userId")).containsExactly(alice, bob);
        assertThat(details.getList("participants.joinedAt"))
                .containsExactly("2026-03-02T10:00:01Z", "2026-03-02T10:00:10Z");
        assertThat(details.getList("participants.leftAt"))
                .containsExactly("2026-03-02T10:00:50Z", "2026-03-02T10:00:47Z");
        assertThat(details.getList("participants.durationSeconds", Long.class)).containsExactly(49L, 37L);
        assertThat(details.getList("participants.leaveReason"))
                .containsExactly(EndReason.LEAVE_ROOM, EndReason.NETWORK_DISCONNECT);
        assertThat(details.getList("participants.reconnections", Integer.class)).containsExactly(0, 1);
        assertThat(details.getList("streams.streamId")).containsExactly("s-a");
        assertThat(details.getString("streams[0].kind")).isEqualTo("camera");
        assertThat(details.getString("streams[0].participantId")).isEqualTo("p-a");
        assertThat(details.getString("streams[0].publishedAt")).isEqualTo("2026-03-02T10:00:02Z");
        assertThat(details.getString("streams[0].unpublishedAt")).isEqualTo("2026-03-02T10:00:50Z");
        assertThat(details.getInt("streams[0].peakSubscribers")).isEqualTo(1);
        assertThat(details.getList("anomalies")).isEmpty();

        JsonPath timeline = asAdmin().get("/calls/{id}/events", call.callId).then().statusCode(200).extract().jsonPath();
        assertThat(timeline.getList("sequence", Long.class)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(timeline.getList("id")).containsExactlyElementsOf(events.stream().map(RoomEvent::id).toList());
        assertThat(timeline.getString("[1].type")).isEqualTo("participant.joined");
        assertThat(timeline.getString("[1].data.userId")).isEqualTo(alice);
    }

    @Test
    void adminSeesEveryCallParticipantsTheirOwnOthersNothing() {
        String alice = unique("alice");
        String carol = unique("carol");
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-03-03T10:00:00Z"));
        kafka.send(call.started(), call.afterSeconds(1, new ParticipantJoined("p-a", alice, "Alice")));
        awaitCall(call.callId, 2);

        as(Tokens.user(alice)).get("/calls/{id}", call.callId).then().statusCode(200);
        as(Tokens.user(alice)).get("/calls/{id}/events", call.callId).then().statusCode(200).body("$", hasSize(2));
        as(Tokens.user(alice)).get("/calls?roomId={room}", call.roomId).then().statusCode(200)
                .body("items.callId", equalTo(List.of(call.callId)));
        as(Tokens.user(alice)).get("/users/{user}/calls", alice).then().statusCode(200)
                .body("items.callId", equalTo(List.of(call.callId)));

        as(Tokens.user(carol)).get("/calls/{id}", call.callId).then().statusCode(404)
                .body("error", equalTo("notFound"));
        as(Tokens.user(carol)).get("/calls/{id}/events", call.callId).then().statusCode(404);
        as(Tokens.user(carol)).get("/calls?roomId={room}", call.roomId).then().statusCode(200)
                .body("items", hasSize(0));
        as(Tokens.user(carol)).get("/users/{user}/calls", alice).then().statusCode(200).body("items", hasSize(0));
        asAdmin().get("/users/{user}/calls", alice).then().statusCode(200)
                .body("items.callId", equalTo(List.of(call.callId)));

        given().get("/calls/{id}", call.callId).then().statusCode(401);
        given().get("/calls").then().statusCode(401);
        as(Tokens.sign(new TokenClaims("operator", null, List.of(), List.of(TokenClaims.ADMIN),
                Instant.now().plusSeconds(60)), "another-secret-of-the-same-length-as-the-real-one!"))
                .get("/calls/{id}", call.callId).then().statusCode(401);
        as(Tokens.sign(new TokenClaims(alice, null, List.of(), List.of(),
                Instant.now().minus(1, ChronoUnit.HOURS)), Tokens.SECRET))
                .get("/calls/{id}", call.callId).then().statusCode(401);
        as("not-a-jwt").get("/calls").then().statusCode(401);
    }

    @Test
    void filtersAndCursorPagination() {
        String room = unique("room");
        String dave = unique("dave");
        Instant t0 = Instant.parse("2026-03-04T08:00:00Z");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            CallScript call = new CallScript(room, t0.plus(i, ChronoUnit.MINUTES));
            List<RoomEvent> events = new ArrayList<>(List.of(call.started(),
                    call.afterSeconds(1, new ParticipantJoined("p-" + i, i % 2 == 0 ? dave : unique("erin"), "P"))));
            if (i < 5) {
                events.add(call.afterSeconds(10, new CallEnded(EndReason.CLOSED_BY_ADMIN, null)));
            }
            kafka.send(events);
            newestFirst.addFirst(call.callId);
        }
        await().atMost(HISTORY_LAG).untilAsserted(() -> asAdmin().get("/calls?roomId={room}&limit=500", room)
                .then().statusCode(200).body("items", hasSize(7)));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = asAdmin().queryParam("roomId", room).queryParam("limit", 3)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/calls").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("items.callId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(newestFirst);
        assertThat(pages).isEqualTo(3);

        asAdmin().get("/calls?roomId={room}&state=active", room).then().statusCode(200)
                .body("items.callId", equalTo(newestFirst.subList(0, 2)))
                .body("items.state", equalTo(List.of("active", "active")));
        asAdmin().get("/calls?roomId={room}&state=ended", room).then().statusCode(200)
                .body("items", hasSize(5));
        asAdmin().get("/calls?roomId={room}&from=2026-03-04T08:02:00Z&to=2026-03-04T08:04:00Z", room)
                .then().statusCode(200).body("items.callId", equalTo(newestFirst.subList(3, 5)));
        asAdmin().get("/calls?roomId={room}&userId={user}", room, dave).then().statusCode(200)
                .body("items.callId", equalTo(List.of(newestFirst.get(0), newestFirst.get(2), newestFirst.get(4),
                        newestFirst.get(6))));
        asAdmin().get("/users/{user}/calls?state=active", dave).then().statusCode(200)
                .body("items.callId", equalTo(List.of(newestFirst.get(0))));
    }

    @Test
    void badParametersAreRefusedWithAMessage() {
        String admin = Tokens.admin();
        for (String query : List.of("limit=0", "limit=501", "limit=ten", "state=paused", "from=yesterday",
                "to=2026-13-01T00:00:00Z", "cursor=not-a-cursor", "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z")) {
            as(admin).get("/calls?" + query).then().statusCode(400)
                    .body("error", equalTo("invalidRequest"))
                    .body("message", containsString(query.substring(0, query.indexOf('='))));
        }
        as(admin).get("/users/{user}/calls?limit=-1", "someone").then().statusCode(400);
        as(admin).get("/calls/{id}", "no-such-call").then().statusCode(404).body("message", containsString("no-such-call"));
    }

    @Test
    void aDuplicateChangesNothing() {
        String frank = unique("frank");
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-03-05T10:00:00Z"));
        List<RoomEvent> events = List.of(call.started(),
                call.afterSeconds(1, new ParticipantJoined("p-f", frank, "Frank")),
                call.afterSeconds(5, new StreamPublished("p-f", "s-f", StreamKind.SCREEN)));
        kafka.send(events);
        JsonPath before = awaitCall(call.callId, events.size());
        assertThat(before.getList("streams")).hasSize(1);

        kafka.send(events);
        kafka.send(events.get(1));
        RoomEvent left = call.afterSeconds(5, new ParticipantLeft("p-f", EndReason.LEAVE_ROOM));
        kafka.send(left);
        await().atMost(HISTORY_LAG).untilAsserted(() -> asAdmin().get("/calls/{id}/events", call.callId)
                .then().statusCode(200).body("$", hasSize(4)));

        JsonPath after = asAdmin().get("/calls/{id}", call.callId).then().statusCode(200).extract().jsonPath();
        assertThat(after.getList("participants")).hasSize(1);
        assertThat(after.getInt("participants[0].reconnections")).isZero();
        assertThat(after.getLong("participants[0].durationSeconds")).isEqualTo(10);
        assertThat(after.getList("streams")).hasSize(1);
        assertThat(after.getList("anomalies")).isEmpty();
    }

    @Test
    void anActiveCallsDurationsGrow() {
        String gina = unique("gina");
        CallScript call = new CallScript(unique("room"), Instant.now().minusSeconds(5));
        kafka.send(call.started(), call.afterSeconds(1, new ParticipantJoined("p-g", gina, "Gina")));
        JsonPath first = awaitCall(call.callId, 2);
        assertThat(first.getString("state")).isEqualTo("active");
        long callDuration = first.getLong("durationSeconds");
        long participantDuration = first.getLong("participants[0].durationSeconds");
        assertThat(callDuration).isGreaterThanOrEqualTo(5);
        assertThat(first.getString("participants[0].leftAt")).isNull();
        assertThat(first.getBoolean("participants[0].connected")).isTrue();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonPath now = as(Tokens.user(gina)).get("/calls/{id}", call.callId).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(now.getLong("durationSeconds")).isGreaterThan(callDuration);
            assertThat(now.getLong("participants[0].durationSeconds")).isGreaterThan(participantDuration);
        });
        as(Tokens.user(gina)).get("/users/{user}/calls", gina).then().statusCode(200)
                .body("items[0].state", equalTo("active"));
    }

    @Test
    void eventsThatCannotBeAppliedAreRecordedAsAnomalies() {
        String hank = unique("hank");
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-03-06T10:00:00Z"));
        RoomEvent started = call.started();
        RoomEvent joined = call.afterSeconds(1, new ParticipantJoined("p-h", hank, "Hank"));
        RoomEvent published = call.afterSeconds(1, new StreamPublished("p-h", "s-h", StreamKind.CAMERA));
        RoomEvent strangerLeft = call.afterSeconds(1, new ParticipantLeft("p-nobody", EndReason.LEAVE_ROOM));
        RoomEvent ended = call.afterSeconds(1, new CallEnded(EndReason.CLOSED_BY_ADMIN, null));
        RoomEvent joinedAfterEnd = call.afterSeconds(1, new ParticipantJoined("p-late", hank, "Hank again"));
        kafka.send(started, joined, strangerLeft, ended, joinedAfterEnd);

        JsonPath withGap = awaitCall(call.callId, 5);
        assertThat(withGap.getList("anomalies.kind"))
                .containsExactly("sequenceGap", "unknownParticipant", "afterCallEnded");
        assertThat(withGap.getString("anomalies[0].detail")).isEqualTo("event 3 is missing");
        assertThat(withGap.getList("streams")).isEmpty();

        // the missing event arrives late: the call is rebuilt in sequence order and the gap closes
        kafka.send(published);
        JsonPath rebuilt = awaitCall(call.callId, 6);
        assertThat(rebuilt.getList("anomalies.kind")).containsExactly("unknownParticipant", "afterCallEnded");
        assertThat(rebuilt.getList("anomalies.sequence", Long.class)).containsExactly(4L, 6L);
        assertThat(rebuilt.getList("streams.streamId")).containsExactly("s-h");
        assertThat(rebuilt.getString("streams[0].unpublishedAt")).isEqualTo("2026-03-06T10:00:04Z");
        assertThat(rebuilt.getList("participants.participantId")).containsExactly("p-h");
        assertThat(rebuilt.getString("participants[0].leaveReason")).isEqualTo(EndReason.CLOSED_BY_ADMIN);
    }

    @Test
    void aRecordThatIsNoRoomEventDoesNotStopTheHistory() {
        String room = unique("room");
        kafka.sendRaw(room, "{\"specversion\":\"1.0\",\"type\":\"call.exploded\"}".getBytes());
        kafka.sendRaw(room, "not json at all".getBytes());
        CallScript call = new CallScript(room, Instant.parse("2026-03-07T10:00:00Z"));
        kafka.send(call.started());
        assertThat(awaitCall(call.callId, 1).getString("state")).isEqualTo("active");
    }

    @Test
    void usageCountsCallsAndMinutesPerDayRoomAndUser() {
        // a day no other test uses, so that the per-room and per-user reports hold this test's calls only
        Instant day = Instant.parse("2030-01-01T00:00:00Z").plus(Duration.ofDays(new java.util.Random().nextInt(3000)));
        String room = unique("room");
        String alice = unique("alice");
        String bob = unique("bob");
        CallScript first = new CallScript(room, day.plus(Duration.ofHours(10)));
        CallScript second = new CallScript(room, day.plus(Duration.ofHours(33)));
        kafka.send(first.started(),
                first.afterSeconds(0, new ParticipantJoined("p-a", alice, "Alice")),
                first.afterSeconds(20, new ParticipantJoined("p-b", bob, "Bob")),
                first.afterSeconds(60, new ParticipantLeft("p-b", EndReason.LEAVE_ROOM)),
                first.afterSeconds(20, new ParticipantLeft("p-a", EndReason.LEAVE_ROOM)),
                first.afterSeconds(20, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, null)),
                second.started(),
                second.afterSeconds(0, new ParticipantJoined("p-a", alice, "Alice")),
                second.afterSeconds(30, new CallEnded(EndReason.CLOSED_BY_ADMIN, null)));
        awaitCall(first.callId, 6);
        awaitCall(second.callId, 3);
        String period = "from=" + day + "&to=" + day.plus(Duration.ofDays(2));

        asAdmin().get("/usage/daily?roomId=" + room + "&" + period).then().statusCode(200)
                .body("items.day", equalTo(List.of(day.toString().substring(0, 10),
                        day.plus(Duration.ofDays(1)).toString().substring(0, 10))))
                .body("items.calls", equalTo(List.of(1, 1)))
                .body("items.minutes", equalTo(List.of(2.0f, 0.5f)));
        asAdmin().get("/usage/rooms?" + period).then().statusCode(200)
                .body("items.roomId", equalTo(List.of(room)))
                .body("items[0].calls", equalTo(2))
                .body("items[0].minutes", equalTo(2.5f));
        asAdmin().get("/usage/users?" + period).then().statusCode(200)
                .body("items.userId", equalTo(List.of(alice, bob)))
                .body("items.calls", equalTo(List.of(2, 1)))
                .body("items.minutes", equalTo(List.of(2.17f, 1.0f)));

        as(Tokens.user(alice)).get("/usage/daily").then().statusCode(403);
        asAdmin().get("/usage/daily?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z").then().statusCode(400)
                .body("message", containsString("366 days"));
    }

    @Test
    void anEventTheDatabaseRefusesIsSetAsideAndTheOthersAreApplied() throws SQLException {
        CallScript call = new CallScript(unique("room"), Instant.parse("2026-03-08T10:00:00Z"));
        RoomEvent started = call.started();
        // PostgreSQL takes no NUL character in text or jsonb
        RoomEvent refused = call.afterSeconds(1, new ParticipantJoined("p-nul", unique("nul"), "Nul\0Byte"));
        RoomEvent joined = call.afterSeconds(1, new ParticipantJoined("p-ok", unique("ok"), "Ok"));
        kafka.send(started, refused, joined);

        JsonPath details = awaitCall(call.callId, 2);
        assertThat(details.getList("participants.participantId")).containsExactly("p-ok");
        assertThat(details.getList("anomalies.kind")).containsExactly("sequenceGap");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT error FROM unreadable_records WHERE record_key = ?")) {
            query.setString(1, call.roomId);
            try (ResultSet result = query.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).startsWith("refused by the database");
                assertThat(result.next()).isFalse();
            }
        }
    }

    @Test
    void openApiAndHealthAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/calls/{callId}"))
                .body("paths", hasKey("/usage/daily"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems(
                        containsString("Kafka"), containsString("Database")));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("room-events consumer"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("switchboard_history_events_total"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"));
    }

    /** The call once the history holds {@code events} of its events. */
    static JsonPath awaitCall(String callId, int events) {
        await().atMost(HISTORY_LAG).untilAsserted(() -> asAdmin().get("/calls/{id}/events", callId)
                .then().statusCode(200).body("$", hasSize(events)));
        return asAdmin().get("/calls/{id}", callId).then().statusCode(200).extract().jsonPath();
    }

    static RequestSpecification asAdmin() {
        return as(Tokens.admin());
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
