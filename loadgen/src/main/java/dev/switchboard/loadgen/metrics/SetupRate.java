package dev.switchboard.loadgen.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Participants set up per second: those whose setup completed, over the time from the first arrival
 * to the last completion. Arrivals that failed or never finished count for nothing, so an overloaded
 * system shows as a rate below the offered one.
 */
public final class SetupRate {

    private final long startNanos;
    private final AtomicLong completed = new AtomicLong();
    private final LongAccumulator lastNanos;

    /** {@code startNanos}: the first arrival ({@link System#nanoTime()}). */
    public SetupRate(long startNanos) {
        this.startNanos = startNanos;
        this.lastNanos = new LongAccumulator(Math::max, startNanos);
    }

    /** One participant finished setting up at {@code nanos}. */
    public void completed(long nanos) {
        completed.incrementAndGet();
        lastNanos.accumulate(nanos);
    }

    public long count() {
        return completed.get();
    }

    /** Per second, to a tenth; 0 when none completed. */
    public double perSecond() {
        long span = lastNanos.get() - startNanos;
        if (completed.get() == 0 || span <= 0) {
            return 0;
        }
        return Math.round(completed.get() / (span / 1e9) * 10) / 10.0;
    }
}
