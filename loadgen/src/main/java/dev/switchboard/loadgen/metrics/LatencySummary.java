package dev.switchboard.loadgen.metrics;

import org.HdrHistogram.Histogram;

/** What a result keeps of a histogram, in milliseconds. */
public record LatencySummary(long count, double p50, double p90, double p99, double max, double mean) {

    private static final double MICROS_PER_MILLI = 1000.0;

    static LatencySummary of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(90)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()),
                round(histogram.getMean() / MICROS_PER_MILLI));
    }

    private static double millis(long micros) {
        return round(micros / MICROS_PER_MILLI);
    }

    /** Microsecond precision is all a millisecond figure needs. */
    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
