package dev.switchboard.emulator.rpc;

import dev.switchboard.emulator.media.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Calls on the same object run one after another, in arrival order, each after its latency; calls
 * on different objects overlap. Waiting is a timer, never a sleeping thread, so a slow call holds up
 * nothing but its own object.
 */
final class CallLanes {

    private record Pending(Duration delay, Runnable work) {
    }

    private final Scheduler scheduler;
    private final Map<String, Queue<Pending>> lanes = new HashMap<>();
    private long generation;

    CallLanes(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void submit(String lane, Duration delay, Runnable work) {
        Queue<Pending> queue = lanes.get(lane);
        if (queue != null) {
            queue.add(new Pending(delay, work));
            return;
        }
        if (delay.isZero() || delay.isNegative()) {
            work.run();
            return;
        }
        queue = new ArrayDeque<>();
        queue.add(new Pending(delay, work));
        lanes.put(lane, queue);
        startHead(lane, queue, generation);
    }

    /** Forgets every waiting call, as a restarting server would. */
    void clear() {
        generation++;
        lanes.clear();
    }

    private void startHead(String lane, Queue<Pending> queue, long startedIn) {
        Pending head = queue.peek();
        scheduler.after(head.delay(), () -> {
            if (startedIn != generation) {
                return;
            }
            queue.poll();
            head.work().run();
            if (queue.isEmpty()) {
                lanes.remove(lane);
            } else {
                startHead(lane, queue, startedIn);
            }
        });
    }
}
