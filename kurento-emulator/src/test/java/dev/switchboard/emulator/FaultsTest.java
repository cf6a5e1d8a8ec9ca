package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.ElementConnectedEvent;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaType;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;

/** Each fault, as the Kurento client experiences it. */
class FaultsTest {

    private KurentoEmulator emulator;
    private final List<Boolean> reconnections = new CopyOnWriteArrayList<>();
    private KurentoClient kurento;

    @BeforeEach
    void start() {
        emulator = KurentoEmulator.start();
        kurento = KurentoClient.create(emulator.url(), new KurentoConnectionListener() {
            @Override
            public void connected() {
            }

            @Override
            public void connectionFailed() {
            }

            @Override
            public void disconnected() {
            }

            @Override
            public void reconnected(boolean sameServer) {
                reconnections.add(sameServer);
            }
        });
    }

    @AfterEach
    void stop() {
        kurento.destroy();
        emulator.close();
    }

    @Test
    void droppedConnectionsComeBackToTheSameSessionWithTheirSubscriptions() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<ElementConnectedEvent> connected = Kms.Recorder.on(endpoint::addElementConnectedListener);
        String sessionId = kurento.getSessionId();

        assertThat(emulator.dropConnections()).isEqualTo(1);

        await().until(() -> reconnections.equals(List.of(true)));
        assertThat(kurento.getSessionId()).isEqualTo(sessionId);
        endpoint.connect(endpoint, MediaType.AUDIO);
        await().until(() -> connected.events().size() == 1);
        assertThat(emulator.objects()).hasSize(2);
    }

    @Test
    void aRestartForgetsEverythingAndChangesTheServerId() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        String serverId = emulator.serverId();

        String newServerId = emulator.restart();

        assertThat(newServerId).isNotEqualTo(serverId).isEqualTo(emulator.serverId());
        assertThat(emulator.objects()).isEmpty();
        await().until(() -> reconnections.equals(List.of(false)));
        assertThatThrownBy(pipeline::getName)
                .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40101));
        assertThat(kurento.createMediaPipeline().getName()).endsWith("_kurento.MediaPipeline");
    }

    @Test
    void aDelayedCallHoldsUpOnlyItsObject() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        WebRtcEndpoint slow = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint quick = new WebRtcEndpoint.Builder(pipeline).build();
        emulator.delay("processOffer", Duration.ofMillis(400));

        long start = System.nanoTime();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> slow.processOffer(Kms.chromiumOffer()));
        quick.setName("still responsive");
        assertThat(quick.getName()).isEqualTo("still responsive");
        assertThat(answer).as("processOffer still waiting").isNotDone();

        assertThat(answer.join()).startsWith("v=0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void failuresHitTheNamedCallsAndThenStop() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        emulator.failNext("create:WebRtcEndpoint", 1, 40009, "Not enough resources");
        emulator.failNext("processOffer", 1);

        assertThatThrownBy(() -> new WebRtcEndpoint.Builder(pipeline).build())
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40009);
                    assertThat(error.getServerMessage()).isEqualTo("Not enough resources");
                    assertThat(error.getData()).contains("NOT_ENOUGH_RESOURCES");
                });
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        assertThatThrownBy(() -> endpoint.processOffer(Kms.chromiumOffer()))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40003);
                    assertThat(error.getData()).contains("UNEXPECTED_ERROR");
                });
        assertThat(endpoint.processOffer(Kms.chromiumOffer())).startsWith("v=0");
    }

    @Test
    void anUnresponsiveServerAnswersLate() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        emulator.unresponsive(Duration.ofMillis(500));

        long start = System.nanoTime();
        assertThat(pipeline.getName()).isEqualTo(pipeline.getId());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(emulator.faults().path("unresponsiveForMillis").asLong()).isZero();
    }

    @Test
    void clearingFaultsEndsThem() {
        MediaPipeline pipeline = kurento.createMediaPipeline();
        emulator.failNext("getName", 5);
        emulator.delay(null, Duration.ofSeconds(5));
        emulator.unreachableCandidates(true);

        emulator.clearFaults();

        assertThat(pipeline.getName()).isEqualTo(pipeline.getId());
        assertThat(emulator.faults().path("failures")).isEmpty();
        assertThat(emulator.faults().path("delays")).isEmpty();
        assertThat(emulator.faults().path("unreachableCandidates").asBoolean()).isFalse();
    }
}
