package dev.switchboard.loadgen.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyTest {

    @Test
    void percentilesOfAKnownSpreadAreExactToATenthOfAPercent() {
        Latency latency = new Latency();
        IntStream.rangeClosed(1, 1000).forEach(ms -> latency.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms)));

        LatencySummary summary = latency.summary();

        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.p50()).isCloseTo(500, within(0.5));
        assertThat(summary.p90()).isCloseTo(900, within(0.9));
        assertThat(summary.p99()).isCloseTo(990, within(1.0));
        assertThat(summary.max()).isCloseTo(1000, within(1.0));
        assertThat(summary.mean()).isCloseTo(500.5, within(0.5));
    }

    @Test
    void aFewSlowOperationsShowInP99AndMaxButNotP50() {
        Latency latency = new Latency();
        IntStream.range(0, 985).forEach(i -> latency.recordNanos(TimeUnit.MILLISECONDS.toNanos(2)));
        IntStream.range(0, 15).forEach(i -> latency.recordNanos(TimeUnit.MILLISECONDS.toNanos(300)));

        LatencySummary summary = latency.summary();

        assertThat(summary.p50()).isCloseTo(2, within(0.01));
        assertThat(summary.p99()).isCloseTo(300, within(0.3));
        assertThat(summary.max()).isCloseTo(300, within(0.3));
    }

    @Test
    void recordsFromManyThreadsAtOnce() throws InterruptedException {
        Latency latency = new Latency();
        Thread[] threads = IntStream.range(0, 8)
                .mapToObj(t -> Thread.ofVirtual().start(() -> IntStream.range(0, 10_000)
                        .forEach(i -> latency.recordNanos(1_000_000))))
                .toArray(Thread[]::new);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(latency.count()).isEqualTo(80_000);
    }

    @Test
    void anEmptyHistogramSummarisesAsZeros() {
        assertThat(new Latency().summary()).isEqualTo(new LatencySummary(0, 0, 0, 0, 0, 0));
    }

    @Test
    void outOfRangeValuesAreClampedNotLost() {
        Latency latency = new Latency();
        latency.recordNanos(0);
        latency.recordNanos(TimeUnit.HOURS.toNanos(1));

        assertThat(latency.count()).isEqualTo(2);
        assertThat(latency.summary().max()).isCloseTo(600_000, within(600.0));
    }
}
