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

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : "%.2f".formatted(value);
    }
}
