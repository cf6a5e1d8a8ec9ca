package dev.switchboard.loadgen.report;

/**
 * A figure set against the goal it has in docs/benchmarks.md. Reported as measured: the harness
 * never adjusts a run to meet a target.
 */
public record TargetCheck(String target, String measured, boolean met) {

    /** A figure that should stay below {@code limit}. */
    public static TargetCheck below(String target, double actual, double limit, String unit) {
        return new TargetCheck(target, format(actual) + " " + unit, actual < limit);
    }

    /** A figure that may reach {@code limit} but not pass it; the limit is shown, as it may be derived from other figures. */
    public static TargetCheck atMost(String target, double actual, double limit, String unit) {
        return new TargetCheck(target, format(actual) + " " + unit + " (limit " + format(limit) + " " + unit + ")",
                actual <= limit);
    }

    /** A figure that should reach {@code limit}. */
    public static TargetCheck atLeast(String target, double actual, double limit, String unit) {
        return new TargetCheck(target, format(actual) + " " + unit, actual >= limit);
    }

    public static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : "%.2f".formatted(value);
    }
}
