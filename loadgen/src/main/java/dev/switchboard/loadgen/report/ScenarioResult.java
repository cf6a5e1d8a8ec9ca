package dev.switchboard.loadgen.report;

import dev.switchboard.loadgen.metrics.LatencySummary;
import dev.switchboard.loadgen.metrics.Machine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run measured, as written to {@code bench/results/ID.json}.
 *
 * @param id         file name and row key, such as {@code join-1000}
 * @param title      one line for people
 * @param parameters how it ran: sizes, rates, durations
 * @param latencies  per operation, in milliseconds, in the order they happen
 * @param figures    everything else it measured
 * @param targets    the figures against their goals
 * @param failures   failed operations by what and why
 * @param notes      what a reader must know to trust the figures: limits hit, parts skipped
 * @param machine    the machine's load around the run
 */
public record ScenarioResult(String id, String title, Map<String, String> parameters,
                             Map<String, LatencySummary> latencies, List<Figure> figures, List<TargetCheck> targets,
                             Map<String, Long> failures, List<String> notes, Machine machine, double seconds,
                             Instant finishedAt) {

    public ScenarioResult {
        parameters = ordered(parameters);
        latencies = ordered(latencies);
        figures = List.copyOf(figures);
        targets = List.copyOf(targets);
        failures = ordered(failures);
        notes = List.copyOf(notes);
    }

    /** Map.copyOf would shuffle what the tables show in order. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public long failedOperations() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }
}
