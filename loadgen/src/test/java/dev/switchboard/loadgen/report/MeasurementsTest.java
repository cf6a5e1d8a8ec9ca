package dev.switchboard.loadgen.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    void timesUntilTheMomentAnEventWasSeenAndCountsItsFailure() {
        Measurements m = new Measurements();

        m.timeUntil("publish → first candidate", 1_000_000, () -> 4_000_000);
        assertThatThrownBy(() -> m.timeUntil("publish → first candidate", 0, () -> {
            throw new IllegalStateException("no candidate within PT30S");
        })).isInstanceOf(IllegalStateException.class);

        ScenarioResult result = m.result("join-1", "one");
        assertThat(result.latencies().get("publish → first candidate").max()).isCloseTo(3.0, within(0.01));
        assertThat(result.failures()).containsEntry("publish → first candidate: timeout", 1L);
    }

    @Test
    void findsAFigureByName() {
        Measurements m = new Measurements();
        m.figure("participants set up per second", 97.5, "participants/s");

        assertThat(m.figureValue("participants set up per second")).hasValue(97.5);
        assertThat(m.figureValue("floor: participants set up per second")).isEmpty();
    }

    @Test
    void targetsCompareStrictlyBelowTheirLimit() {
        assertThat(TargetCheck.below("p99 < 25 ms", 24.9, 25, "ms").met()).isTrue();
        assertThat(TargetCheck.below("p99 < 25 ms", 25, 25, "ms").met()).isFalse();
        assertThat(TargetCheck.below("p99 < 25 ms", 31.456, 25, "ms").measured()).isEqualTo("31.46 ms");
    }

    @Test
    void anAtMostTargetIsMetAtItsLimitAndShowsIt() {
        assertThat(TargetCheck.atMost("p50 ≤ floor p50 + 5 ms", 13.1, 13.1, "ms").met()).isTrue();
        assertThat(TargetCheck.atMost("p50 ≤ floor p50 + 5 ms", 13.11, 13.1, "ms").met()).isFalse();
        assertThat(TargetCheck.atMost("p50 ≤ floor p50 + 5 ms", 20, 13.1, "ms").measured()).isEqualTo("20 ms (limit 13.10 ms)");
    }

    @Test
    void anAtLeastTargetIsMetFromItsLimitUp() {
        assertThat(TargetCheck.atLeast("≥ 100/s", 100, 100, "participants/s").met()).isTrue();
        assertThat(TargetCheck.atLeast("≥ 100/s", 99.9, 100, "participants/s").met()).isFalse();
        assertThat(TargetCheck.atLeast("≥ 100/s", 99.9, 100, "participants/s").measured()).isEqualTo("99.90 participants/s");
    }
}
