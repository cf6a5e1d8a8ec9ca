package dev.switchboard.emulator.rpc;

import dev.switchboard.emulator.LatencyModel;
import java.util.Arrays;

/**
 * KMS's worker threads, as many as the emulated server has cores: a call taken by a free worker
 * answers after its latency and holds that worker for its whole work; beyond the pool, calls queue in
 * arrival order. A reservation is arithmetic on arrival times, so the caller waits with a timer and
 * the schedule can be checked without a clock.
 */
final class WorkerPool {

    private final long[] freeAtNanos;

    WorkerPool(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker: " + workers);
        }
        freeAtNanos = new long[workers];
        clear();
    }

    /** Takes the worker that frees up first for a call arriving at {@code nowNanos}; returns when it answers. */
    long reserve(long nowNanos, LatencyModel.Sample sample) {
        int first = 0;
        for (int worker = 1; worker < freeAtNanos.length; worker++) {
            if (freeAtNanos[worker] < freeAtNanos[first]) {
                first = worker;
            }
        }
        long start = Math.max(nowNanos, freeAtNanos[first]);
        freeAtNanos[first] = start + sample.work().toNanos();
        return start + sample.latency().toNanos();
    }

    /** Every worker idle, as on a freshly started server. */
    void clear() {
        Arrays.fill(freeAtNanos, Long.MIN_VALUE);
    }
}
