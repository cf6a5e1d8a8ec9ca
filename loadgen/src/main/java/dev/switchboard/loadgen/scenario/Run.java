package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.Fleet;
import dev.switchboard.loadgen.metrics.Progress;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;

/**
 * What a scenario runs with.
 *
 * @param runId    distinguishes this run's rooms from an earlier run's on the same system
 * @param deadline a scenario stops starting work past it ({@link System#nanoTime()})
 */
public record Run(Target target, Fleet fleet, Measurements measurements, Progress progress, String runId, long deadline) {

    public boolean pastDeadline() {
        return System.nanoTime() > deadline;
    }

    public Duration timeLeft() {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
