package dev.switchboard.loadgen.metrics;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line: one line on the terminal, rewritten every half second while a scenario runs,
 * with its phase, how far it got and how many operations failed.
 */
public final class Progress implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 500;

    private final PrintStream out;
    private final String scenario;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final Failures failures;
    private final Thread printer;
    private volatile String phase = "starting";
    private volatile long total;

    public Progress(PrintStream out, String scenario, Failures failures) {
        this.out = out;
        this.scenario = scenario;
        this.failures = failures;
        this.printer = Thread.ofPlatform().daemon().name("progress").start(this::printUntilClosed);
    }

    /** A new phase with {@code total} steps to count. */
    public void phase(String name, long steps) {
        phase = name;
        total = steps;
        done.set(0);
    }

    public void step() {
        done.incrementAndGet();
    }

    public String line() {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return "[%s %3ds] %-28s %7d/%-7d failed %d".formatted(scenario, seconds, phase, done.get(), total, failures.total());
    }

    private void printUntilClosed() {
        try {
            while (true) {
                out.print("\r" + line());
                out.flush();
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    @Override
    public void close() {
        printer.interrupt();
        try {
            printer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("\r" + line());
    }
}
