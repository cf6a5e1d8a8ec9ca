package dev.switchboard.loadgen.scenario;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Starts tasks at a steady rate, each on its own virtual thread (a simulated client that blocks on
 * its requests), and waits for them. Capped, at most {@code maxInFlight} tasks run at once and past
 * the cap arrivals wait, so an overloaded system is not left with a backlog that spoils the
 * scenarios after it; {@link #OPEN_LOOP}, every task starts on its schedule whatever is still
 * running, as users arrive whether or not the system keeps up.
 */
final class Arrivals {

    /** No cap: arrivals keep their schedule regardless of the tasks in flight. */
    static final int OPEN_LOOP = Integer.MAX_VALUE;

    /**
     * @param started     how many tasks were started
     * @param mostBehind  the latest any task started after its time on the schedule: in open loop, what
     *                    the harness itself failed to keep up with
     */
    record Arrived(int started, Duration mostBehind) {
    }

    private Arrivals() {
    }

    /** Open loop, until the run's deadline. */
    static Arrived run(Run run, int count, double perSecond, IntConsumer task) {
        return run(run, run.deadline(), count, perSecond, OPEN_LOOP, task);
    }

    /**
     * Runs {@code task} for 0..count-1, {@code perSecond} starts a second, and waits until all end or
     * {@code deadline} ({@link System#nanoTime()}) passes; tasks not started by then are not started.
     */
    static Arrived run(Run run, long deadline, int count, double perSecond, int maxInFlight, IntConsumer task) {
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        Semaphore inFlight = new Semaphore(maxInFlight);
        long due = System.nanoTime();
        long mostBehind = 0;
        int started = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                LockSupport.parkNanos(due - System.nanoTime());
                if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                long now = System.nanoTime();
                mostBehind = Math.max(mostBehind, now - due);
                due = nextDue(due, now, interval, maxInFlight != OPEN_LOOP);
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
        return new Arrived(started, Duration.ofNanos(mostBehind));
    }

    /**
     * When the arrival after one due at {@code due} and started at {@code startedAt} is due. Open loop
     * keeps the schedule, so arrivals that start late are followed by ones that catch up; capped, a
     * wait for the cap delays the arrivals after it instead of bunching them up behind it.
     */
    static long nextDue(long due, long startedAt, long interval, boolean capped) {
        return (capped ? Math.max(due, startedAt - interval) : due) + interval;
    }
}
