package dev.switchboard.contracts.messaging;

import java.time.Duration;

/** How long to wait before trying again: {@code first}, doubled with each failure in a row, never over {@code max}. */
public record Backoff(Duration first, Duration max) {

    /** The wait after a failure that followed {@code earlierFailures} failures in a row. */
    public Duration after(int earlierFailures) {
        Duration wait = first.multipliedBy(1L << Math.min(earlierFailures, 30));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
