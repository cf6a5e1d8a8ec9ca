package dev.switchboard.loadgen.scenario;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Starts tasks at a steady rate, each on its own virtual thread (a simulated client that blocks on
 * its requests), and waits for them. Open loop up to {@code maxInFlight} tasks at once: a slow system
 * does not slow the arrivals, so its queueing shows in the latencies; past the cap arrivals wait, so
 * an overloaded system is not left with a backlog that spoils the scenarios after it.
 */
final class Arrivals {

    private Arrivals() {
    }

    /** No cap on tasks in flight, until the run's deadline. */
    static int run(Run run, int count, double perSecond, IntConsumer task) {
        return run(run, run.deadline(), count, perSecond, Integer.MAX_VALUE, task);
    }

    /**
     * Runs {@code task} for 0..count-1, {@code perSecond} starts a second, and waits until all end or
     * {@code deadline} ({@link System#nanoTime()}) passes; tasks not started by then are not started.
     *
     * @return how many tasks were started
     */
    static int run(Run run, long deadline, int count, double perSecond, int maxInFlight, IntConsumer task) {
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        Semaphore inFlight = new Semaphore(maxInFlight);
        long next = System.nanoTime();
        int started = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                LockSupport.parkNanos(next - System.nanoTime());
                if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                // A wait for the cap delays the arrivals after it, not only this one.
                next = Math.max(next, System.nanoTime() - interval) + interval;
                int index = i;
                threads.execute(() -> {
                    try {
                        task.accept(index);
                    } catch (RuntimeException e) {
                        // Recorded where it failed; the other clients carry on.
                    } finally {
                        inFlight.release();
                    }
                });
                started++;
            }
            if (started < count) {
                run.measurements().note("time limit: started " + started + " of " + count);
            }
            threads.shutdown();
            if (!threads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                run.measurements().note("time limit: stopped with tasks still running");
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return started;
    }
}
