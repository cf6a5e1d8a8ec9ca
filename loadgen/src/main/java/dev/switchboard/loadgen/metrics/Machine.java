package dev.switchboard.loadgen.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine was doing around a measurement: a shared 2-core box makes figures move. */
public record Machine(int cores, double loadBefore, double loadAfter, long memoryMb, String jvm) {

    /** The one-minute load average now, or -1 where /proc is not there. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static Machine since(double loadBefore) {
        long memory = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new Machine(Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), memory >> 20,
                Runtime.version().toString());
    }
}
