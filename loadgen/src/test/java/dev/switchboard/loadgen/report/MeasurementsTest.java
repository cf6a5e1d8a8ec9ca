package dev.switchboard.loadgen.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeasurementsTest {

    @Test
    void timesWhatSucceedsAndCountsWhatFailsWithoutTimingIt() {
        Measurements m = new Measurements();

        assertThat(m.time("joinRoom", () -> "joined")).isEqualTo("joined");
        assertThatThrownBy(() -> m.time("joinRoom", () -> {
            throw new IllegalStateException("joinRoom got no response within PT30S");
        })).isInstanceOf(IllegalStateException.class);

        ScenarioResult result = m.result("join-1", "one");
        assertThat(result.latencies().get("joinRoom").count()).isEqualTo(1);
        assertThat(result.failures()).containsEntry("joinRoom: timeout", 1L);
    }

    @Test
    void listsOperationsInTheOrderTheyFirstHappened() {
        Measurements m = new Measurements();
        m.latency("joinRoom").recordNanos(1_000_000);
        m.latency("publish").recordNanos(1_000_000);
        m.latency("subscribe").recordNanos(1_000_000);
        m.latency("joinRoom").recordNanos(1_000_000);

        assertThat(m.result("join-1", "one").latencies().keySet()).containsExactly("joinRoom", "publish", "subscribe");
    }

    @Test
    void targetsCompareStrictlyBelowTheirLimit() {
        assertThat(TargetCheck.below("p99 < 25 ms", 24.9, 25, "ms").met()).isTrue();
        assertThat(TargetCheck.below("p99 < 25 ms", 25, 25, "ms").met()).isFalse();
        assertThat(TargetCheck.below("p99 < 25 ms", 31.456, 25, "ms").measured()).isEqualTo("31.46 ms");
    }
}
