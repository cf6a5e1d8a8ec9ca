package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.Failures;
import dev.switchboard.loadgen.metrics.Latency;
import dev.switchboard.loadgen.metrics.LatencySummary;
import dev.switchboard.loadgen.metrics.Machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What a scenario collects while it runs; {@link #result} freezes it. */
public final class Measurements {

    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<TargetCheck> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Failures failures = new Failures();
    private final long startNanos = System.nanoTime();
    private final double loadBefore = Machine.loadAverage();

    public Measurements parameter(String name, Object value) {
        parameters.put(name, String.valueOf(value));
        return this;
    }

    /** The histogram of an operation, created on first use; results list operations in that order. */
    public Latency latency(String operation) {
        return latencies.computeIfAbsent(operation, name -> {
            synchronized (order) {
                order.add(name);
            }
            return new Latency();
        });
    }

    /** Runs an operation, recording its latency if it succeeds and its failure (then rethrown) if not. */
    public <T> T time(String operation, Supplier<T> action) {
        long start = System.nanoTime();
        try {
            T result = action.get();
            latency(operation).recordSince(start);
            return result;
        } catch (RuntimeException e) {
            failures.record(operation, e);
            throw e;
        }
    }

    /** {@link #time} for an operation that answers nothing. */
    public void timeRun(String operation, Runnable action) {
        time(operation, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Records the time from {@code startNanos} to the moment {@code event} says something happened (a
     * {@link System#nanoTime()}), such as a notification that the client saw arrive; its failure is
     * recorded and rethrown.
     */
    public void timeUntil(String operation, long startNanos, LongSupplier event) {
        long happened;
        try {
            happened = event.getAsLong();
        } catch (RuntimeException e) {
            failures.record(operation, e);
            throw e;
        }
        latency(operation).recordNanos(happened - startNanos);
    }

    public synchronized void figure(String name, double value, String unit) {
        figures.add(new Figure(name, value, unit));
    }

    /** The value of a figure recorded so far, by name. */
    public synchronized OptionalDouble figureValue(String name) {
        return figures.stream().filter(figure -> figure.name().equals(name)).mapToDouble(Figure::value).findFirst();
    }

    public synchronized void target(TargetCheck check) {
        targets.add(check);
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public Failures failures() {
        return failures;
    }

    public synchronized ScenarioResult result(String id, String title) {
        Map<String, LatencySummary> summaries = new LinkedHashMap<>();
        synchronized (order) {
            order.forEach(name -> summaries.put(name, latencies.get(name).summary()));
        }
        return new ScenarioResult(id, title, parameters, summaries, figures, targets, failures.snapshot(), notes,
                Machine.since(loadBefore), Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0, Instant.now());
    }
}
