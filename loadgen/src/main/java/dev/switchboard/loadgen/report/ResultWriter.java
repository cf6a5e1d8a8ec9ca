package dev.switchboard.loadgen.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.loadgen.metrics.LatencySummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes results under the bench directory: {@code results/ID.json} and {@code charts/ID.png} per
 * scenario, and {@code RESULTS.md}, the tables of every result there, so a partial run updates its rows
 * and keeps the others.
 */
public final class ResultWriter {

    private static final ObjectWriter JSON = Json.mapper().writerWithDefaultPrettyPrinter();

    private final Path benchDir;

    public ResultWriter(Path benchDir) {
        this.benchDir = benchDir;
    }

    public Path resultFile(String id) {
        return benchDir.resolve("results").resolve(id + ".json");
    }

    public Path chartFile(String id) {
        return benchDir.resolve("charts").resolve(id + ".png");
    }

    public Path summaryFile() {
        return benchDir.resolve("RESULTS.md");
    }

    /** Writes one result, its chart if it has latencies, and RESULTS.md again. */
    public void write(ScenarioResult result) {
        try {
            Files.createDirectories(resultFile(result.id()).getParent());
            Files.writeString(resultFile(result.id()), JSON.writeValueAsString(result) + "\n");
            if (!result.latencies().isEmpty()) {
                Chart.write(result, chartFile(result.id()));
            }
            Files.writeString(summaryFile(), markdown(readAll()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results under " + benchDir, e);
        }
    }

    /** Every result under {@code results/}, oldest first. */
    public List<ScenarioResult> readAll() throws IOException {
        Path dir = benchDir.resolve("results");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".json"))
                    .map(file -> Json.read(readString(file), ScenarioResult.class))
                    .sorted(Comparator.comparing(ScenarioResult::finishedAt))
                    .toList();
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tables, for RESULTS.md and for the terminal at the end of a run. */
    public static String markdown(List<ScenarioResult> results) {
        StringBuilder md = new StringBuilder("""
                # Benchmark results

                Written by `loadgen` (see [docs/benchmarks.md](../docs/benchmarks.md) for what each scenario measures
                and how). Latencies in milliseconds. Charts in [charts/](charts/), raw figures in [results/](results/).

                ## Latencies

                | scenario | operation | count | p50 | p90 | p99 | max |
                |---|---|---:|---:|---:|---:|---:|
                """);
        for (ScenarioResult result : results) {
            for (Map.Entry<String, LatencySummary> row : result.latencies().entrySet()) {
                LatencySummary s = row.getValue();
                md.append("| %s | %s | %d | %s | %s | %s | %s |%n".formatted(result.id(), row.getKey(), s.count(),
                        number(s.p50()), number(s.p90()), number(s.p99()), number(s.max())));
            }
        }
        md.append("\n## Figures\n\n| scenario | figure | value | unit |\n|---|---|---:|---|\n");
        for (ScenarioResult result : results) {
            for (Figure figure : result.figures()) {
                md.append("| %s | %s | %s | %s |%n".formatted(result.id(), figure.name(), number(figure.value()), figure.unit()));
            }
        }
        md.append("\n## Targets\n\n| scenario | target | measured | met |\n|---|---|---|---|\n");
        for (ScenarioResult result : results) {
            for (TargetCheck check : result.targets()) {
                md.append("| %s | %s | %s | %s |%n".formatted(result.id(), check.target(), check.measured(),
                        check.met() ? "yes" : "**no**"));
            }
        }
        md.append("\n## Runs\n\n| scenario | finished (UTC) | seconds | parameters | failed operations | load before → after (%d cores) |\n"
                .formatted(results.isEmpty() ? 0 : results.getFirst().machine().cores()));
        md.append("|---|---|---:|---|---:|---|\n");
        for (ScenarioResult result : results) {
            md.append("| %s | %s | %s | %s | %d | %.2f → %.2f |%n".formatted(result.id(),
                    result.finishedAt().toString().substring(0, 19).replace('T', ' '), number(result.seconds()),
                    result.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", ")),
                    result.failedOperations(), result.machine().loadBefore(), result.machine().loadAfter()));
        }
        List<String> notes = results.stream()
                .flatMap(result -> Stream.concat(
                        result.notes().stream().map(note -> result.id() + ": " + note),
                        result.failures().entrySet().stream()
                                .map(failure -> result.id() + ": failed " + failure.getKey() + " × " + failure.getValue())))
                .toList();
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private static String number(double value) {
        return TargetCheck.format(value);
    }
}
