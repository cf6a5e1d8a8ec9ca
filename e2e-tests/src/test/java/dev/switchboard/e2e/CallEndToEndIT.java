package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.client.SignalingClient.Notification;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.devstack.SwitchboardStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A two-participant call through the three packaged services, each its own process, on embedded Kafka,
 * embedded PostgreSQL and the Kurento emulator: join, publish, subscribe, trickle ICE both ways, status
 * with growing versions, leave; then the call as the history API tells it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private SwitchboardStack stack;
    private String offer;

    @BeforeAll
    void startSwitchboard() throws IOException {
        Path repository = Path.of(System.getProperty("switchboard.repository", "..")).toAbsolutePath().normalize();
        stack = SwitchboardStack.start(SwitchboardStack.Options.forTests(repository,
                repository.resolve("e2e-tests/target/stack")));
        try (InputStream sdp = getClass().getResourceAsStream("/offer-chromium.sdp")) {
            offer = new String(sdp.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    void stopSwitchboard() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoParticipantCallFlowsEndToEndAndLandsInHistory() throws Exception {
        String roomId = "e2e-" + UUID.randomUUID();
        URI signaling = URI.create(stack.signalingUrl());
        Instant before = Instant.now();

        try (SignalingClient alice = SignalingClient.connect(signaling);
             SignalingClient bob = SignalingClient.connect(signaling)) {
            JsonNode aliceJoined = alice.call("joinRoom", Map.of("roomId", roomId, "token", token("alice", roomId)), TIMEOUT);
            String aliceId = aliceJoined.get("participantId").asText();
            assertThat(aliceJoined.get("resumeToken").asText()).isNotBlank();
            assertThat(aliceJoined.at("/room/participants/0/userId").asText()).isEqualTo("alice");
            List<Long> versionsSeenByAlice = new ArrayList<>(List.of(aliceJoined.at("/room/version").asLong()));

            JsonNode bobJoined = bob.call("joinRoom", Map.of("roomId", roomId, "token", token("bob", roomId), "name", "Bob"), TIMEOUT);
            String bobId = bobJoined.get("participantId").asText();
            assertThat(bobJoined.at("/room/participants")).hasSize(2);
            versionsSeenByAlice.add(awaitStatus(alice, s -> s.get("participants").size() == 2).get("version").asLong());

            JsonNode published = alice.call("publish", Map.of("sdpOffer", offer), TIMEOUT);
            String streamId = published.get("streamId").asText();
            assertThat(published.get("sdpAnswer").asText()).startsWith("v=0").contains("m=audio").contains("m=video");
            Notification aliceCandidate = alice.awaitNotification(n -> n.method().equals("iceCandidate")
                    && n.params().get("streamId").asText().equals(streamId), TIMEOUT);
            assertThat(aliceCandidate.params().at("/candidate/candidate").asText()).startsWith("candidate:");
            alice.call("addIceCandidate", Map.of("streamId", streamId, "candidate", Map.of(
                    "candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid", "0", "sdpMLineIndex", 0)), TIMEOUT);

            JsonNode bobSeesStream = awaitStatus(bob, s -> s.at("/participants/0/streams").size() == 1);
            assertThat(bobSeesStream.at("/participants/0/streams/0/streamId").asText()).isEqualTo(streamId);
            versionsSeenByAlice.add(awaitStatus(alice, s -> s.at("/participants/0/streams").size() == 1).get("version").asLong());

            JsonNode subscribed = bob.call("subscribe", Map.of("streamId", streamId, "sdpOffer", offer), TIMEOUT);
            assertThat(subscribed.get("sdpAnswer").asText()).startsWith("v=0");
            bob.awaitNotification(n -> n.method().equals("iceCandidate")
                    && n.params().get("streamId").asText().equals(streamId), TIMEOUT);
            bob.call("addIceCandidate", Map.of("streamId", streamId, "candidate", Map.of(
                    "candidate", "candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host", "sdpMid", "0", "sdpMLineIndex", 0)), TIMEOUT);
            Notification media = bob.awaitNotification(n -> n.method().equals("mediaState")
                    && n.params().get("state").asText().equals("FLOWING"), TIMEOUT);
            assertThat(media.params().get("streamId").asText()).isEqualTo(streamId);

            assertThat(bob.call("leaveRoom", null, TIMEOUT).isEmpty()).isTrue();
            versionsSeenByAlice.add(awaitStatus(alice, s -> s.get("participants").size() == 1).get("version").asLong());
            assertThat(versionsSeenByAlice).isSorted().doesNotHaveDuplicates();

            alice.call("leaveRoom", null, TIMEOUT);
            assertHistory(roomId, aliceId, bobId, before);
        }
    }

    private void assertHistory(String roomId, String aliceId, String bobId, Instant before) {
        String admin = Hs256Tokens.sign(new TokenClaims("operator", "Operator", List.of(), List.of(TokenClaims.ADMIN),
                Instant.now().plusSeconds(600)), stack.jwtSecret());
        JsonNode call = await().atMost(TIMEOUT).until(() -> {
            JsonNode calls = get("/calls?roomId=" + roomId, admin);
            return calls.get("items").size() == 1 && calls.at("/items/0/state").asText().equals("ended")
                    ? get("/calls/" + calls.at("/items/0/callId").asText(), admin) : null;
        }, found -> found != null);

        assertThat(call.get("roomId").asText()).isEqualTo(roomId);
        assertThat(call.get("endReason").asText()).isEqualTo("lastParticipantLeft");
        JsonNode participants = call.get("participants");
        assertThat(participants).hasSize(2);
        for (JsonNode participant : participants) {
            assertThat(participant.get("participantId").asText()).isIn(aliceId, bobId);
            Instant joined = Instant.parse(participant.get("joinedAt").asText());
            Instant left = Instant.parse(participant.get("leftAt").asText());
            assertThat(joined).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(left).isAfterOrEqualTo(joined);
            assertThat(participant.get("durationSeconds").asDouble())
                    .isCloseTo(Duration.between(joined, left).toMillis() / 1000.0, org.assertj.core.data.Offset.offset(1.0));
            assertThat(participant.get("leaveReason").asText()).isEqualTo("leaveRoom");
        }
        assertThat(participants.findValuesAsText("userId")).containsExactlyInAnyOrder("alice", "bob");
    }

    private JsonNode awaitStatus(SignalingClient client, java.util.function.Predicate<JsonNode> matching) {
        try {
            return client.awaitNotification(n -> n.method().equals("roomStatus") && matching.test(n.params()), TIMEOUT)
                    .params();
        } catch (IllegalStateException e) {
            throw new AssertionError("no matching roomStatus; received: " + client.frames(), e);
        }
    }

    private String token(String user, String roomId) {
        return Hs256Tokens.sign(new TokenClaims(user, Character.toUpperCase(user.charAt(0)) + user.substring(1),
                List.of(roomId), List.of(), Instant.now().plusSeconds(600)), stack.jwtSecret());
    }

    private JsonNode get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.historyUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
