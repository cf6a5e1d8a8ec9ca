package dev.switchboard.loadgen.metrics;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * One measured operation: a concurrent HdrHistogram of microseconds, fed by any number of simulated
 * clients at once. Three significant digits, so p99 is exact to 0.1 %.
 */
public final class Latency {

    /** Ten minutes: longer than any operation a scenario waits for. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Histogram histogram = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);

    /** Records the time since {@code startNanos} (a {@link System#nanoTime()}). */
    public void recordSince(long startNanos) {
        recordNanos(System.nanoTime() - startNanos);
    }

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.clamp(TimeUnit.NANOSECONDS.toMicros(nanos), 1, HIGHEST_MICROS));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public LatencySummary summary() {
        return LatencySummary.of(histogram);
    }
}
