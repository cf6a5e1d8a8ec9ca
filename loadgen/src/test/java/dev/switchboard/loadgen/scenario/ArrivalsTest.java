package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.Fleet;
import dev.switchboard.loadgen.metrics.Progress;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.target.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalsTest {

    private final Measurements measurements = new Measurements();
    private final Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), "test",
            measurements.failures());

    @AfterEach
    void stopProgress() {
        progress.close();
    }

    @Test
    void startsEveryTaskAtTheRateAndNeverMoreThanTheCapAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        long start = System.nanoTime();

        Arrivals.Arrived arrived = Arrivals.run(run(Duration.ofSeconds(10)), System.nanoTime() + TimeUnit.SECONDS.toNanos(10),
                20, 200, 3, i -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    JoinLatency.sleep(Duration.ofMillis(20));
                    running.decrementAndGet();
                });

        assertThat(arrived.started()).isEqualTo(20);
        assertThat(most.get()).isBetween(1, 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("20 at 200/s, 3 at a time for 20 ms each")
                .isGreaterThanOrEqualTo(Duration.ofMillis(95));
        assertThat(measurements.result("t", "t").notes()).isEmpty();
    }

    @Test
    void startsNothingPastTheDeadlineAndSaysSo() {
        AtomicInteger ran = new AtomicInteger();

        int started = Arrivals.run(run(Duration.ofMillis(300)), 1_000, 10, ran::addAndGet).started();

        assertThat(started).isBetween(1, 5);
        assertThat(measurements.result("t", "t").notes()).contains("time limit: started " + started + " of 1000");
    }

    @Test
    void openLoopStartsEveryArrivalWhateverIsStillRunning() {
        CountDownLatch allStarted = new CountDownLatch(5);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        // Each task ends only once all have started: with any cap below 5 this would never finish.
        Arrivals.Arrived arrived = Arrivals.run(run(Duration.ofSeconds(10)), System.nanoTime() + TimeUnit.SECONDS.toNanos(10),
                5, 1_000, Arrivals.OPEN_LOOP, i -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    allStarted.countDown();
                    try {
                        allStarted.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });

        assertThat(arrived.started()).isEqualTo(5);
        assertThat(most.get()).isEqualTo(5);
        assertThat(measurements.result("t", "t").notes()).isEmpty();
    }

    @Test
    void openLoopKeepsTheScheduleWhileACappedRunLetsAWaitDelayTheArrivalsAfterIt() {
        long interval = 100;

        assertThat(Arrivals.nextDue(1_000, 1_010, interval, false)).isEqualTo(1_100);
        assertThat(Arrivals.nextDue(1_000, 1_350, interval, false)).as("late: the next is already due").isEqualTo(1_100);
        assertThat(Arrivals.nextDue(1_000, 1_010, interval, true)).isEqualTo(1_100);
        assertThat(Arrivals.nextDue(1_000, 1_350, interval, true)).as("late: the schedule moves").isEqualTo(1_350);
    }

    @Test
    void oneFailingTaskDoesNotStopTheOthers() {
        AtomicInteger ran = new AtomicInteger();

        Arrivals.run(run(Duration.ofSeconds(10)), 10, 1_000, i -> {
            if (i == 3) {
                throw new IllegalStateException("this client failed");
            }
            ran.incrementAndGet();
        });

        assertThat(ran.get()).isEqualTo(9);
    }

    private Run run(Duration limit) {
        Target target = new Target(URI.create("ws://127.0.0.1:1/signaling"), URI.create("http://127.0.0.1:2"), "secret",
                Optional.empty(), Optional.empty(), Optional.empty());
        return new Run(target, new Fleet(target.signaling(), "secret"), measurements, progress, "test",
                System.nanoTime() + limit.toNanos());
    }
}
