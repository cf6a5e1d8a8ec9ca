package dev.switchboard.loadgen.scenario;

import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import dev.switchboard.loadgen.target.MemoryProbe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * How many idle client connections one gateway holds, and what each costs it: live heap (after a
 * full collection) and resident memory before and after opening them, divided by their number. The
 * count is capped by the open-file limit, which this process and the gateway share: past it, the heap
 * at the target is projected from the measured cost per connection, and the result says so.
 */
public record ConnectionCapacity(int connections, double perSecond) implements Scenario {

    static final int TARGET_CONNECTIONS = 50_000;
    private static final long TARGET_HEAP = 2L << 30;
    /** File descriptors kept for everything else: Kafka, the stack, the JDK. */
    static final int RESERVED_FILES = 2_000;

    @Override
    public String id() {
        return "capacity-connections";
    }

    @Override
    public String title() {
        return "idle connections one gateway holds, and their memory";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        ServiceProcess gateway = run.target().requireLocal("measuring the gateway's memory").stack()
                .service(SwitchboardStack.GATEWAY);
        int limit = openFileLimit() - RESERVED_FILES;
        int count = Math.min(connections, limit);
        if (count < connections) {
            m.note("asked for " + connections + " connections; the open-file limit (ulimit -n " + openFileLimit()
                    + ") allows " + count + " here");
        }
        m.parameter("connections", count).parameter("connectsPerSecond", perSecond);
        run.progress().phase("measuring before", 0);
        MemoryProbe.Sample before = MemoryProbe.measure(gateway);
        SignalingClient[] sockets = new SignalingClient[count];
        run.progress().phase("connecting", count);
        try {
            Arrivals.run(run, count, perSecond, i -> {
                sockets[i] = m.time("connect (WebSocket)", run.fleet()::connect);
                run.progress().step();
            });
            run.progress().phase("measuring after", 0);
            MemoryProbe.Sample after = MemoryProbe.measure(gateway);
            long open = Arrays.stream(sockets).filter(Objects::nonNull).filter(SignalingClient::isOpen).count();
            m.figure("connections held", open, "connections");
            MemoryFigures.report(m, "gateway", before, after, open, "connection");
            if (open == 0) {
                return;
            }
            double heapEach = (after.heap() - before.heap()) / (double) open;
            double heapAtTarget = before.heap() + heapEach * TARGET_CONNECTIONS;
            boolean measured = open >= TARGET_CONNECTIONS;
            m.figure((measured ? "heap at " : "projected heap at ") + TARGET_CONNECTIONS + " connections", MemoryFigures.mib((long) heapAtTarget), "MiB");
            m.target(new TargetCheck("50,000 idle connections on one gateway under 2 GiB heap",
                    Math.round(heapAtTarget / (1 << 20)) + " MiB" + (measured ? "" : " (projected from " + open + ")"),
                    heapAtTarget < TARGET_HEAP));
        } finally {
            run.progress().phase("closing", 0);
            Arrays.stream(sockets).filter(Objects::nonNull).forEach(SignalingClient::abort);
        }
    }

    /** The soft limit on open files of this process, which the services it starts inherit. */
    static int openFileLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(line -> line.startsWith("Max open files"))
                    .map(line -> line.trim().split("\\s+")[3])
                    .mapToInt(value -> value.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(value))
                    .findFirst().orElse(Integer.MAX_VALUE);
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }
}
