package dev.switchboard.loadgen.scenario;

import dev.switchboard.emulator.KurentoEmulator;
import dev.switchboard.loadgen.client.Fleet;
import dev.switchboard.loadgen.metrics.Progress;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.ScenarioResult;
import dev.switchboard.loadgen.target.Target;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tiny run of the scenario wiring against the emulator, and the scenarios' refusals on a remote target. */
class KurentoFloorTest {

    private static final Target REMOTE = new Target(URI.create("ws://127.0.0.1:1/signaling"), URI.create("http://127.0.0.1:2"),
            "secret", Optional.empty(), Optional.empty(), Optional.empty());

    @Test
    void doesEveryPublishAndSubscriptionOfEveryRoomAndReleasesWhatItMade() {
        try (KurentoEmulator kms = KurentoEmulator.start()) {
            Measurements m = new Measurements();
            try (Progress progress = quietProgress(m)) {
                new KurentoFloor(kms.url(), 8, 4, 200, 4).run(run(m, progress));
            }

            ScenarioResult result = m.result("floor", "tiny");
            assertThat(result.failures()).isEmpty();
            assertThat(result.latencies().get(KurentoFloor.PUBLISH).count()).isEqualTo(8);
            assertThat(result.latencies().get(KurentoFloor.SUBSCRIBE).count()).isEqualTo(8);
            assertThat(result.latencies().get(KurentoFloor.PROCESS_OFFER).count()).as("publish and subscription").isEqualTo(16);
            assertThat(result.latencies().get("floor: create WebRtcEndpoint").count()).isEqualTo(16);
            assertThat(result.latencies().get("floor: create MediaPipeline, addTag").count()).as("one per room").isEqualTo(2);
            assertThat(m.figureValue(KurentoFloor.SETUPS).orElseThrow()).isPositive();
            assertThat(m.figureValue("floor: ICE candidates found").orElseThrow())
                    .as("subscribed before gathering: every endpoint's candidates arrive").isGreaterThanOrEqualTo(16);
            assertThat(kms.objects()).as("pipelines and endpoints released").isEmpty();
        }
    }

    @Test
    void scenariosThatNeedTheLocalStackSaySoOnARemoteTarget() {
        Measurements m = new Measurements();
        try (Progress progress = quietProgress(m)) {
            Run run = run(m, progress);
            assertThatThrownBy(() -> new ConnectionCapacity(10, 10).run(run)).isInstanceOf(Target.Skipped.class)
                    .hasMessageContaining("gateway's memory");
            assertThatThrownBy(() -> new Recovery(8, 4, 10, 4).run(run)).isInstanceOf(Target.Skipped.class);
            assertThatThrownBy(() -> new HistoryLag(100, Duration.ofSeconds(1)).run(run)).isInstanceOf(Target.Skipped.class)
                    .hasMessageContaining("--kafka");
        }
    }

    private static Run run(Measurements m, Progress progress) {
        return new Run(REMOTE, new Fleet(REMOTE.signaling(), "secret"), m, progress, "test",
                System.nanoTime() + Duration.ofSeconds(30).toNanos());
    }

    private static Progress quietProgress(Measurements m) {
        return new Progress(new PrintStream(OutputStream.nullOutputStream()), "test", m.failures());
    }
}
