package dev.switchboard.loadgen.metrics;

import dev.switchboard.contracts.client.SignalingClient.RpcException;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed operations by what failed and why: an error code, a timeout or a closed socket. */
public final class Failures {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void record(String operation, Throwable failure) {
        counts.computeIfAbsent(operation + ": " + reason(failure), key -> new LongAdder()).increment();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((key, count) -> sorted.put(key, count.sum()));
        return sorted;
    }

    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof RpcException)) {
            cause = cause.getCause();
        }
        if (cause instanceof RpcException rpc) {
            return "error " + rpc.code();
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        if (message.contains("within") || cause instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (message.contains("closed")) {
            return "socket closed";
        }
        return cause.getClass().getSimpleName();
    }
}
