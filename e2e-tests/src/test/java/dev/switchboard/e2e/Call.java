package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A two-party call set up over the real protocol: alice publishes, bob subscribes, both trickle ICE,
 * and the call is up once bob's media flows.
 */
final class Call implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String OFFER = readOffer();

    final String roomId = "call-" + UUID.randomUUID();
    final SignalingClient alice;
    final SignalingClient bob;
    final String aliceId;
    final String bobId;
    final String streamId;

    Call(HttpClient http, String signalingUrl, String jwtSecret) {
        alice = SignalingClient.connect(http, URI.create(signalingUrl));
        bob = SignalingClient.connect(http, URI.create(signalingUrl));
        aliceId = alice.call("joinRoom", Map.of("roomId", roomId, "token", token("alice", jwtSecret)), TIMEOUT)
                .get("participantId").asText();
        bobId = bob.call("joinRoom", Map.of("roomId", roomId, "token", token("bob", jwtSecret)), TIMEOUT)
                .get("participantId").asText();
        streamId = alice.call("publish", Map.of("sdpOffer", OFFER), TIMEOUT).get("streamId").asText();
        alice.call("addIceCandidate", candidate(50000), TIMEOUT);
        bob.call("subscribe", Map.of("streamId", streamId, "sdpOffer", OFFER), TIMEOUT);
        bob.call("addIceCandidate", candidate(50001), TIMEOUT);
        bob.awaitNotification(n -> n.method().equals("mediaState") && n.params().get("state").asText().equals("FLOWING"),
                TIMEOUT);
    }

    /** Anything a participant was told that would interrupt its call. */
    List<String> interruptions() {
        return java.util.stream.Stream.of(alice, bob)
                .flatMap(client -> client.frames().stream())
                .filter(frame -> frame.contains("\"renegotiate\"") || frame.contains("\"roomClosed\"")
                        || frame.contains("\"evicted\"") || frame.contains("\"NOT_FLOWING\"")
                        || frame.contains("\"DISCONNECTED\""))
                .toList();
    }

    JsonNode toggleAudio(boolean audio) {
        return alice.call("setMedia", Map.of("streamId", streamId, "audio", audio, "video", true), TIMEOUT);
    }

    private Map<String, Object> candidate(int port) {
        return Map.of("streamId", streamId, "candidate", Map.of(
                "candidate", "candidate:1 1 udp 2122260223 127.0.0.1 " + port + " typ host", "sdpMid", "0",
                "sdpMLineIndex", 0));
    }

    private String token(String user, String jwtSecret) {
        return Hs256Tokens.sign(new TokenClaims(user, user, List.of(roomId), List.of(), Instant.now().plusSeconds(900)),
                jwtSecret);
    }

    private static String readOffer() {
        try (InputStream sdp = Call.class.getResourceAsStream("/offer-chromium.sdp")) {
            return new String(sdp.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
    }
}
