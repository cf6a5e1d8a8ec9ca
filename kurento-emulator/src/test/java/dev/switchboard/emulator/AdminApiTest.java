package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin HTTP API, which tests in other modules and the local run use to inspect and break the emulator. */
class AdminApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private KurentoEmulator emulator;
    private RawKmsClient kms;

    @BeforeEach
    void start() {
        emulator = KurentoEmulator.start(EmulatorSettings.defaults().withMedia(MediaTimings.fast()));
        kms = RawKmsClient.connect(emulator.url());
    }

    @AfterEach
    void stop() {
        kms.close();
        emulator.close();
    }

    @Test
    void listsObjectsWithTheirTagsSessionsParentAndSinks() throws Exception {
        String pipeline = create("MediaPipeline", null);
        String endpoint = create("WebRtcEndpoint", pipeline);
        String sink = create("WebRtcEndpoint", pipeline);
        invoke(endpoint, "addTag", Json.object().put("key", "room").put("value", "r1"));
        invoke(endpoint, "connect", Json.object().put("sink", sink));

        JsonNode objects = get("/objects").body();

        assertThat(objects).hasSize(3);
        JsonNode listed = StreamSupport.stream(objects.spliterator(), false)
                .filter(o -> o.path("id").asText().equals(endpoint)).findFirst().orElseThrow();
        assertThat(listed.path("type").asText()).isEqualTo("WebRtcEndpoint");
        assertThat(listed.path("parent").asText()).isEqualTo(pipeline);
        assertThat(listed.path("tags").path("room").asText()).isEqualTo("r1");
        assertThat(listed.path("sessions")).hasSize(1);
        assertThat(listed.path("sinks")).as("one entry for its audio, video and data links").singleElement()
                .extracting(JsonNode::asText).isEqualTo(sink);
        JsonNode sessions = get("/sessions").body();
        assertThat(sessions).singleElement().satisfies(session -> {
            assertThat(session.path("connected").asBoolean()).isTrue();
            assertThat(session.path("objects")).hasSize(3);
        });
        assertThat(get("/info").body().path("serverId").asText()).isEqualTo(emulator.serverId());
    }

    @Test
    void injectsFailuresAndDelaysUntilCleared() throws Exception {
        String pipeline = create("MediaPipeline", null);
        assertThat(post("/faults/fail", "{\"method\":\"create\",\"code\":40009,\"message\":\"No room left\"}").statusCode()).isEqualTo(204);

        JsonNode failed = kms.call("create", Json.object().put("type", "MediaPipeline"));
        assertThat(failed.path("error").path("code").asInt()).isEqualTo(40009);
        assertThat(failed.path("error").path("message").asText()).isEqualTo("No room left");
        assertThat(failed.path("error").path("data").path("type").asText()).isEqualTo("NOT_ENOUGH_RESOURCES");

        assertThat(post("/faults/delay", "{\"millis\":300}").statusCode()).isEqualTo(204);
        assertThat(get("/faults").body().path("delays")).hasSize(1);
        long start = System.nanoTime();
        invoke(pipeline, "getName", null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        assertThat(delete("/faults").statusCode()).isEqualTo(204);
        assertThat(get("/faults").body().path("delays")).isEmpty();
        assertThat(kms.call("create", Json.object().put("type", "MediaPipeline")).has("result")).isTrue();
    }

    @Test
    void dropsConnectionsAndRestarts() throws Exception {
        create("MediaPipeline", null);
        String serverId = emulator.serverId();

        assertThat(post("/faults/drop-connections", "").body().path("dropped").asInt()).isEqualTo(1);
        assertThat(kms.awaitClose()).isEqualTo(RawKmsClient.ABNORMAL_CLOSURE);
        assertThat(emulator.objects()).as("the session lives on without its socket").hasSize(1);

        JsonNode restarted = post("/faults/restart", "").body();
        assertThat(restarted.path("serverId").asText()).isNotEqualTo(serverId).isEqualTo(emulator.serverId());
        assertThat(get("/objects").body()).isEmpty();
    }

    @Test
    void aRestartedServerRefusesConnectionsUntilItIsUp() throws Exception {
        JsonNode restarted = post("/faults/restart", "{\"downMillis\":400}").body();

        assertThat(restarted.path("serverId").asText()).isEqualTo(emulator.serverId());
        assertThat(get("/info").body().path("downForMillis").asLong()).isPositive();
        assertThatThrownBy(() -> RawKmsClient.connect(emulator.url())).hasCauseInstanceOf(WebSocketHandshakeException.class);
        await().ignoreExceptions().until(() -> {
            try (RawKmsClient back = RawKmsClient.connect(emulator.url())) {
                return back.call("ping", null).path("result").path("value").asText().equals("pong");
            }
        });
    }

    @Test
    void playsDeadForAWhile() throws Exception {
        assertThat(post("/faults/unresponsive", "{\"millis\":300}").statusCode()).isEqualTo(204);
        long start = System.nanoTime();
        assertThat(kms.call("ping", null).path("result").path("value").asText()).isEqualTo("pong");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void breaksMediaOnRequest() throws Exception {
        String pipeline = create("MediaPipeline", null);
        String endpoint = create("WebRtcEndpoint", pipeline);
        kms.call("subscribe", Json.object().put("type", "Error").put("object", pipeline));
        kms.call("subscribe", Json.object().put("type", "IceComponentStateChanged").put("object", endpoint));

        assertThat(post("/faults/error-event", "{\"object\":\"" + pipeline + "\",\"type\":\"STREAM_ERROR_DECODE\"}").statusCode()).isEqualTo(204);
        JsonNode error = kms.event("Error").path("params").path("value").path("data");
        assertThat(error.path("type").asText()).isEqualTo("STREAM_ERROR_DECODE");

        assertThat(post("/faults/unreachable-candidates", "{}").statusCode()).isEqualTo(204);
        invoke(endpoint, "processOffer", Json.object().put("offer", Kms.chromiumOffer()));
        invoke(endpoint, "gatherCandidates", null);
        kms.event("IceComponentStateChanged");
        invoke(endpoint, "addIceCandidate", Json.object().set("candidate", Json.complex("IceCandidate")
                .put("candidate", Kms.BROWSER_CANDIDATE.getCandidate()).put("sdpMid", "0").put("sdpMLineIndex", 0)));
        await().until(() -> kms.pending().stream().anyMatch(message -> message.toString().contains("CONNECTING")));
        assertThat(post("/faults/peer-stall", "{\"endpoint\":\"" + endpoint + "\"}").statusCode()).isEqualTo(204);
        assertThat(post("/faults/peer-stall", "{\"endpoint\":\"" + endpoint + "\",\"stalled\":false}").statusCode()).isEqualTo(204);
        assertThat(post("/faults/peer-stall", "{\"endpoint\":\"" + pipeline + "\"}").statusCode()).isEqualTo(400);
        assertThat(post("/faults/peer-lost", "{\"endpoint\":\"" + endpoint + "\"}").statusCode()).isEqualTo(204);
        assertThat(post("/faults/peer-lost", "{\"endpoint\":\"" + pipeline + "\"}").statusCode()).isEqualTo(400);
        assertThat(post("/gc", "").statusCode()).isEqualTo(204);
    }

    @Test
    void saysWhatIsWrongWithABadRequest() throws Exception {
        assertThat(post("/faults/delay", "{\"millis\":\"soon\"}").statusCode()).isEqualTo(400);
        assertThat(post("/faults/delay", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/faults/fail", "{}").statusCode()).isEqualTo(400);
        Reply missing = post("/faults/peer-lost", "{\"endpoint\":\"nonsense\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body().path("error").asText()).isEqualTo("Object 'nonsense' not found");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }

    private String create(String type, String pipeline) {
        var params = Json.object().put("type", type);
        if (pipeline != null) {
            params.putObject("constructorParams").put("mediaPipeline", pipeline);
        }
        return kms.call("create", params).path("result").path("value").asText();
    }

    private JsonNode invoke(String object, String operation, JsonNode operationParams) {
        var params = Json.object().put("object", object).put("operation", operation);
        if (operationParams != null) {
            params.set("operationParams", operationParams);
        }
        JsonNode reply = kms.call("invoke", params);
        assertThat(reply.has("result")).as("%s succeeded: %s", operation, reply).isTrue();
        return reply;
    }

    private record Reply(int statusCode, JsonNode body) {
    }

    private Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(emulator.adminUrl() + path)).GET());
    }

    private Reply delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(emulator.adminUrl() + path)).DELETE());
    }

    private Reply post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(emulator.adminUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isEmpty() ? Json.object() : Json.parse(response.body()));
    }
}
