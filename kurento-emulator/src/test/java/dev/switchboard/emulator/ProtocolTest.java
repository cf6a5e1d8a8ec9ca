package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Protocol rules the Kurento client does not exercise, checked frame by frame. */
class ProtocolTest {

    private KurentoEmulator emulator;
    private RawKmsClient kms;

    @BeforeEach
    void start() {
        emulator = KurentoEmulator.start();
        kms = RawKmsClient.connect(emulator.url());
    }

    @AfterEach
    void stop() {
        kms.close();
        emulator.close();
    }

    @Test
    void aCreatingCallWithoutParamsIsRefusedAsJsonRpcWould() {
        JsonNode reply = kms.call("create", null);
        assertThat(reply.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(reply.path("error").path("message").asText()).isEqualTo("'params' is required");
        assertThat(reply.path("error").path("data").path("type").asText()).isEqualTo("INVALID_PARAMS");
    }

    @Test
    void aNotificationIsCarriedOutAndItsResultReportedAsAnError() {
        kms.send(Json.object().put("jsonrpc", "2.0").put("method", "create").set("params", Json.object().put("type", "MediaPipeline")));

        JsonNode reply = kms.reply(Json.valueOf(null));

        assertThat(reply.path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(reply.path("error").path("message").asText()).isEqualTo("Ignoring response because of a notification request");
        assertThat(reply.path("error").path("data").path("value").asText()).endsWith("_kurento.MediaPipeline");
        assertThat(emulator.objects()).hasSize(1);
    }

    @Test
    void describesEveryTypeWithItsHierarchy() {
        String pipeline = kms.call("create", Json.object().put("type", "MediaPipeline")).path("result").path("value").asText();
        ObjectNode params = Json.object().put("type", "PassThrough");
        params.putObject("constructorParams").put("mediaPipeline", pipeline);
        String passThrough = kms.call("create", params).path("result").path("value").asText();

        JsonNode described = kms.call("describe", Json.object().put("object", passThrough)).path("result");

        assertThat(described.path("type").asText()).isEqualTo("PassThrough");
        assertThat(described.path("qualifiedType").asText()).isEqualTo("kurento.PassThrough");
        assertThat(described.path("hierarchy")).extracting(JsonNode::asText)
                .containsExactly("kurento.MediaElement", "kurento.MediaObject");
    }

    @Test
    void transactionsRunInOrderAndReferToEarlierResults() {
        ArrayNode operations = Json.array();
        operations.add(Json.object().put("id", 0).put("jsonrpc", "2.0").put("method", "create")
                .set("params", Json.object().put("type", "MediaPipeline")));
        ObjectNode endpoint = Json.object().put("type", "WebRtcEndpoint");
        endpoint.putObject("constructorParams").put("mediaPipeline", "newref:0");
        operations.add(Json.object().put("id", 1).put("jsonrpc", "2.0").put("method", "create").set("params", endpoint));
        ObjectNode params = Json.object();
        params.set("operations", operations);

        JsonNode replies = kms.call("transaction", params).path("result").path("value");

        assertThat(replies).hasSize(2);
        String pipeline = replies.get(0).path("result").path("value").asText();
        assertThat(replies.get(1).path("result").path("value").asText()).startsWith(pipeline + "/");
        assertThat(replies.get(1).path("id").asInt()).isEqualTo(1);
    }

    @Test
    void listsSessionsWithKmsLeadingBlanks() {
        String sessionId = kms.call("create", Json.object().put("type", "MediaPipeline")).path("result").path("sessionId").asText();
        JsonNode sessions = kms.call("invoke", Json.object().put("object", "manager_ServerManager").put("operation", "getSessions"))
                .path("result").path("value");
        assertThat(sessions).extracting(JsonNode::asText).containsExactly("", sessionId);
    }

    @Test
    void eventsFollowTheSocketLastBoundToTheirSession() {
        JsonNode created = kms.call("create", Json.object().put("type", "MediaPipeline"));
        String sessionId = created.path("result").path("sessionId").asText();
        String pipeline = created.path("result").path("value").asText();
        kms.call("subscribe", Json.object().put("type", "Error").put("object", pipeline));

        try (RawKmsClient takeover = RawKmsClient.connect(emulator.url())) {
            takeover.call("ping", Json.object().put("sessionId", sessionId));
            emulator.raiseError(pipeline, "UNEXPECTED_ELEMENT_ERROR", "boom", 1);
            assertThat(takeover.event("Error").path("params").path("value").path("object").asText()).isEqualTo(pipeline);
        }
        assertThat(kms.pending()).isEmpty();
    }

    @Test
    void aWrongPathIsRefusedAfterTheHandshake() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + emulator.port() + "/elsewhere"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(1002);
        socket.abort();
    }
}
