package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class JoinLatencyTest {

    @Test
    void atTheTargetsSizeAndRateSetsPublishSubscribeAndJoinAgainstTheFloor() {
        Measurements m = new Measurements();
        record(m, JoinLatency.PUBLISH, 12);
        record(m, KurentoFloor.PROCESS_OFFER, 8);
        record(m, JoinLatency.SUBSCRIBE, 30);
        record(m, KurentoFloor.SUBSCRIBE, 10);
        record(m, JoinLatency.JOIN, 60);

        new JoinLatency(1000, 4, 50, 32, Duration.ZERO, 0).targets(m, 0, true);

        assertThat(targets(m)).extracting(TargetCheck::target, TargetCheck::met).containsExactly(
                tuple("publish → sdpAnswer p50 ≤ floor processOffer p50 + 5 ms", true),
                tuple("publish → sdpAnswer p99 ≤ 2 × floor processOffer p99", true),
                tuple("subscribe → sdpAnswer p99 ≤ 2 × floor subscribe same work p99", false),
                tuple("joinRoom → result p99 ≤ 50 ms", false));
        assertThat(targets(m).getFirst().measured()).startsWith("12.01 ms (limit 13.0");
    }

    @Test
    void theThroughputTargetIsSetOnlyWhereTheOfferedRateReachesItAndWantsNoFailedSetup() {
        JoinLatency open = new JoinLatency(1000, 4, 150, JoinLatency.OPEN_LOOP, Duration.ZERO, 0);
        Measurements fast = new Measurements();
        fast.figure(JoinLatency.SETUPS, 120, "participants/s");
        Measurements failing = new Measurements();
        failing.figure(JoinLatency.SETUPS, 120, "participants/s");
        Measurements slowOffer = new Measurements();

        open.targets(fast, 0, false);
        open.targets(failing, 3, false);
        new JoinLatency(100, 4, 50, 32, Duration.ZERO, 0).targets(slowOffer, 0, true);

        assertThat(targets(fast)).singleElement().satisfies(check -> {
            assertThat(check.met()).isTrue();
            assertThat(check.measured()).isEqualTo("120 participants/s, 0 setups failed");
        });
        assertThat(targets(failing)).singleElement().extracting(TargetCheck::met).isEqualTo(false);
        assertThat(targets(slowOffer)).as("neither the target's rate nor its size").isEmpty();
    }

    @Test
    void namesARunByItsSizeRateAndLoop() {
        assertThat(new JoinLatency(1000, 4, 50, 32, Duration.ZERO, 0).id()).isEqualTo("join-1000-at-50");
        assertThat(new JoinLatency(1000, 4, 150, JoinLatency.OPEN_LOOP, Duration.ZERO, 0).id()).isEqualTo("join-1000-at-150-open");
    }

    private static void record(Measurements m, String operation, long millis) {
        m.latency(operation).recordNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static List<TargetCheck> targets(Measurements m) {
        return m.result("join", "test").targets();
    }
}
