package dev.switchboard.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.json.Json;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A two-party call set up over the real protocol: alice publishes, bob subscribes, both trickle ICE,
 * and the call is up once bob's media flows. Others may join it later to subscribe too.
 */
final class Call implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String OFFER = readOffer();

    /** Someone who joined the call later and subscribed to alice's stream. */
    record Subscriber(SignalingClient client, String participantId, String sdpAnswer) {
    }

    final String roomId = "call-" + UUID.randomUUID();
    final SignalingClient alice;
    final SignalingClient bob;
    final String aliceId;
    final String bobId;
    final String streamId;
    private final HttpClient http;
    private final String signalingUrl;
    private final String jwtSecret;
    private final List<SignalingClient> latecomers = new CopyOnWriteArrayList<>();

    Call(HttpClient http, String signalingUrl, String jwtSecret) {
        this.http = http;
        this.signalingUrl = signalingUrl;
        this.jwtSecret = jwtSecret;
        alice = connect();
        bob = connect();
        aliceId = join(alice, "alice");
        bobId = join(bob, "bob");
        streamId = alice.call("publish", Map.of("sdpOffer", OFFER), TIMEOUT).get("streamId").asText();
        alice.call("addIceCandidate", candidate(50000), TIMEOUT);
        bobSubscribes();
        bob.call("addIceCandidate", candidate(50001), TIMEOUT);
        bob.awaitNotification(n -> n.method().equals("mediaState") && n.params().get("state").asText().equals("FLOWING"),
                TIMEOUT);
    }

    /** Anything a participant was told that would interrupt its call. */
    List<String> interruptions() {
        return Stream.of(alice, bob)
                .flatMap(client -> client.frames().stream())
                .filter(frame -> frame.contains("\"renegotiate\"") || frame.contains("\"roomClosed\"")
                        || frame.contains("\"evicted\"") || frame.contains("\"NOT_FLOWING\"")
                        || frame.contains("\"DISCONNECTED\""))
                .toList();
    }

    JsonNode toggleAudio(boolean audio) {
        return alice.call("setMedia", Map.of("streamId", streamId, "audio", audio, "video", true), TIMEOUT);
    }

    JsonNode bobSubscribes() {
        return bob.call("subscribe", Map.of("streamId", streamId, "sdpOffer", OFFER), TIMEOUT);
    }

    JsonNode bobUnsubscribes() {
        return bob.call("unsubscribe", Map.of("streamId", streamId), TIMEOUT);
    }

    /** {@code user} joins the call now and subscribes to alice's stream; closed with the call. */
    Subscriber newSubscriber(String user) {
        SignalingClient client = connect();
        latecomers.add(client);
        String participantId = join(client, user);
        String sdpAnswer = client.call("subscribe", Map.of("streamId", streamId, "sdpOffer", OFFER), TIMEOUT)
                .get("sdpAnswer").asText();
        return new Subscriber(client, participantId, sdpAnswer);
    }

    /** The params of the notifications {@code method} about alice's stream that a client got, from frame {@code from} on. */
    List<JsonNode> told(SignalingClient client, String method, long from) {
        return client.frames().stream().skip(from)
                .map(Call::parse)
                .filter(frame -> frame.path("method").asText().equals(method)
                        && frame.path("params").path("streamId").asText().equals(streamId))
                .map(frame -> frame.get("params"))
                .toList();
    }

    /** The media states of alice's stream a client was told, in order, from frame {@code from} on. */
    List<String> mediaStates(SignalingClient client, long from) {
        return told(client, "mediaState", from).stream().map(params -> params.get("state").asText()).toList();
    }

    private SignalingClient connect() {
        return SignalingClient.connect(http, URI.create(signalingUrl));
    }

    private String join(SignalingClient client, String user) {
        return client.call("joinRoom", Map.of("roomId", roomId, "token", token(user)), TIMEOUT).get("participantId").asText();
    }

    private Map<String, Object> candidate(int port) {
        return Map.of("streamId", streamId, "candidate", Map.of(
                "candidate", "candidate:1 1 udp 2122260223 127.0.0.1 " + port + " typ host", "sdpMid", "0",
                "sdpMLineIndex", 0));
    }

    private String token(String user) {
        return Hs256Tokens.sign(new TokenClaims(user, user, List.of(roomId), List.of(), Instant.now().plusSeconds(900)),
                jwtSecret);
    }

    private static JsonNode parse(String frame) {
        try {
            return Json.mapper().readTree(frame);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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
        latecomers.forEach(SignalingClient::close);
    }
}
