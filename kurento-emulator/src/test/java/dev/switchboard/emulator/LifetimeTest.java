package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kurento.client.ElementConnectedEvent;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaType;
import org.kurento.client.Tag;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;

/**
 * Objects outlive the socket that made them, as on KMS: a new owner can pick them up by id until the
 * garbage collector has found their sessions idle twice.
 */
class LifetimeTest {

    @Test
    void aNewClientReattachesToObjectsOfAClientThatDied() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            KurentoClient dying = Kms.crashingClient(emulator);
            MediaPipeline pipeline = dying.createMediaPipeline();
            WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
            endpoint.addTag("room", "r1");
            String pipelineId = pipeline.getId();
            String endpointId = endpoint.getId();
            String deadSession = dying.getSessionId();
            dying.destroy();

            KurentoClient successor = Kms.client(emulator);
            WebRtcEndpoint reattached = successor.getById(endpointId, WebRtcEndpoint.class);
            assertThat(reattached.getTags()).extracting(Tag::getValue).containsExactly("r1");
            assertThat(emulator.objects()).allSatisfy(object ->
                    assertThat(object.sessions()).containsExactlyInAnyOrder(deadSession, successor.getSessionId()));

            emulator.collectGarbage();
            emulator.collectGarbage();
            assertThat(emulator.sessions()).extracting(EmulatedSession::id).doesNotContain(deadSession);
            assertThat(emulator.objects()).extracting(EmulatedObject::id).containsExactlyInAnyOrder(pipelineId, endpointId);

            Kms.Recorder<ElementConnectedEvent> connected = Kms.Recorder.on(reattached::addElementConnectedListener);
            WebRtcEndpoint other = new WebRtcEndpoint.Builder(successor.getById(pipelineId, MediaPipeline.class)).build();
            reattached.connect(other, MediaType.VIDEO);
            await().until(() -> connected.events().size() == 1);
            successor.destroy();
            assertThat(emulator.objects()).as("closeSession let go of everything").isEmpty();
        }
    }

    @Test
    void aDeadSessionIsCollectedBetweenOneAndTwoPeriodsAfterItsSocketClosed() {
        Duration period = Duration.ofMillis(400);
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withGcPeriod(period))) {
            KurentoClient dying = Kms.crashingClient(emulator);
            MediaPipeline pipeline = dying.createMediaPipeline();
            String pipelineId = pipeline.getId();
            String deadSession = dying.getSessionId();
            long closedAt = System.nanoTime();
            dying.destroy();

            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10)).until(() -> emulator.objects().isEmpty());
            Duration lived = Duration.ofNanos(System.nanoTime() - closedAt);
            assertThat(lived).isBetween(period, period.multipliedBy(2).plusMillis(300));

            try (RawKmsClient late = RawKmsClient.connect(emulator.url())) {
                JsonNode describe = late.call("describe", Json.object().put("object", pipelineId));
                assertThat(describe.path("error").path("code").asInt()).isEqualTo(40101);
                JsonNode reconnect = late.call("connect", Json.object().put("sessionId", deadSession));
                assertThat(reconnect.path("error").path("code").asInt()).isEqualTo(40007);
                assertThat(reconnect.path("error").path("message").asText()).isEqualTo("Invalid session");
            }
        }
    }

    @Test
    void anOpenSocketKeepsItsSessionAliveWithoutTraffic() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            KurentoClient idle = Kms.client(emulator);
            idle.createMediaPipeline();
            for (int pass = 0; pass < 3; pass++) {
                emulator.collectGarbage();
            }
            assertThat(emulator.objects()).hasSize(1);
            idle.destroy();
        }
    }

    @Test
    void reconnectingWithTheOldSessionIdTakesOverItsSubscriptions() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            String sessionId;
            String endpointId;
            try (RawKmsClient first = RawKmsClient.connect(emulator.url())) {
                JsonNode pipeline = first.call("create", Json.object().put("type", "MediaPipeline"));
                sessionId = pipeline.path("result").path("sessionId").asText();
                JsonNode endpoint = first.call("create", constructor(pipeline.path("result").path("value").asText()));
                endpointId = endpoint.path("result").path("value").asText();
                first.call("subscribe", Json.object().put("type", "ElementConnected").put("object", endpointId));
            }
            try (RawKmsClient second = RawKmsClient.connect(emulator.url())) {
                JsonNode connected = second.call("connect", Json.object().put("sessionId", sessionId));
                assertThat(connected.path("result").path("sessionId").asText()).isEqualTo(sessionId);
                assertThat(connected.path("result").path("serverId").asText()).isEqualTo(emulator.serverId());

                KurentoClient other = Kms.client(emulator);
                WebRtcEndpoint endpoint = other.getById(endpointId, WebRtcEndpoint.class);
                endpoint.connect(endpoint, MediaType.AUDIO);

                JsonNode event = second.event("ElementConnected");
                assertThat(event.path("params").path("value").path("object").asText()).isEqualTo(endpointId);
                other.destroy();
            }
        }
    }

    @Test
    void theLastSessionToLetGoReleasesAndCloseSessionSparesSharedObjects() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            KurentoClient owner = Kms.client(emulator);
            KurentoClient sharer = Kms.client(emulator);
            MediaPipeline shared = owner.createMediaPipeline();
            MediaPipeline own = owner.createMediaPipeline();
            sharer.getById(shared.getId(), MediaPipeline.class).getName();

            owner.destroy();

            assertThat(emulator.objects()).extracting(EmulatedObject::id).containsExactly(shared.getId());
            assertThatThrownBy(() -> sharer.getById(own.getId(), MediaPipeline.class).getName())
                    .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40101));
            try (RawKmsClient raw = RawKmsClient.connect(emulator.url())) {
                raw.call("unref", Json.object().put("object", shared.getId()).put("sessionId", sharer.getSessionId()));
            }
            assertThat(emulator.objects()).isEmpty();
            sharer.destroy();
        }
    }

    @Test
    void aRepeatedRequestIdGetsTheRememberedReply() {
        try (KurentoEmulator emulator = KurentoEmulator.start(); RawKmsClient raw = RawKmsClient.connect(emulator.url())) {
            JsonNode created = raw.call("create", Json.object().put("type", "MediaPipeline"));
            String sessionId = created.path("result").path("sessionId").asText();
            JsonNode id = created.get("id");

            ObjectNode sameId = Json.object().put("jsonrpc", "2.0").put("method", "ping");
            sameId.set("id", id);
            sameId.putObject("params").put("sessionId", sessionId);
            raw.send(sameId);

            assertThat(raw.reply(id)).isEqualTo(created);
            assertThat(emulator.objects()).hasSize(1);
        }
    }

    private static ObjectNode constructor(String pipelineId) {
        ObjectNode params = Json.object().put("type", "WebRtcEndpoint");
        params.putObject("constructorParams").put("mediaPipeline", pipelineId);
        return params;
    }
}
