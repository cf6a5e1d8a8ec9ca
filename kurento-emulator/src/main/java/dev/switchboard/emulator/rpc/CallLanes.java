package dev.switchboard.emulator.rpc;

import dev.switchboard.emulator.LatencyModel;
import dev.switchboard.emulator.media.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Calls on the same object run one after another, in arrival order; a call at the head of its lane
 * waits for a worker of the pool and then its latency, plus any delay a fault adds. Calls on different
 * objects overlap as far as the pool allows. Waiting is a timer, never a sleeping thread, so a slow call
 * holds up nothing but its own object and its worker.
 */
final class CallLanes {

    private record Pending(LatencyModel.Sample cost, Duration extraDelay, Runnable work) {
    }

    private final Scheduler scheduler;
    private final WorkerPool workers;
    private final Map<String, Queue<Pending>> lanes = new HashMap<>();
    private long generation;

    CallLanes(Scheduler scheduler, WorkerPool workers) {
        this.scheduler = scheduler;
        this.workers = workers;
    }

    void submit(String lane, LatencyModel.Sample cost, Duration extraDelay, Runnable work) {
        Pending call = new Pending(cost, extraDelay, work);
        Queue<Pending> queue = lanes.get(lane);
        if (queue != null) {
            queue.add(call);
            return;
        }
        Duration wait = reserve(call);
        if (!wait.isPositive()) {
            work.run();
            return;
        }
        queue = new ArrayDeque<>();
        queue.add(call);
        lanes.put(lane, queue);
        runHeadAfter(wait, lane, queue, generation);
    }

    /** Forgets every waiting call and frees every worker, as a restarting server would. */
    void clear() {
        generation++;
        lanes.clear();
        workers.clear();
    }

    private Duration reserve(Pending call) {
        long now = scheduler.nowMillis() * 1_000_000;
        return Duration.ofNanos(workers.reserve(now, call.cost()) - now).plus(call.extraDelay());
    }

    private void runHeadAfter(Duration wait, String lane, Queue<Pending> queue, long startedIn) {
        scheduler.after(wait, () -> {
            if (startedIn != generation) {
                return;
            }
            queue.poll().work().run();
            if (queue.isEmpty()) {
                lanes.remove(lane);
            } else {
                runHeadAfter(reserve(queue.peek()), lane, queue, startedIn);
            }
        });
    }
}
