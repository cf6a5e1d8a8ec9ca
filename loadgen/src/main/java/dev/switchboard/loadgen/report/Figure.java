package dev.switchboard.loadgen.report;

/** A measured value that is not a latency: a count, a size, a rate, a ratio. */
public record Figure(String name, double value, String unit) {
}
