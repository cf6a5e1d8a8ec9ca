package dev.switchboard.loadgen.target;

import dev.switchboard.devstack.process.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's memory as its operator sees it: live heap after a full collection (jcmd GC.run, then
 * {@code jvm_memory_used_bytes{area="heap"}} from its /q/metrics, or jcmd GC.heap_info for a JVM
 * without metrics) and resident set size from /proc/PID/status. Collecting first makes two samples
 * comparable: without it, heap "used" is mostly garbage that has not been collected yet.
 */
public final class MemoryProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration UNCOMMIT = Duration.ofSeconds(1);
    private static final Pattern HEAP_INFO_USED = Pattern.compile("garbage-first heap[^\\n]*?used (\\d+)K");
    private static final Path JCMD = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    /** Bytes. */
    public record Sample(long heap, long rss) {
    }

    private MemoryProbe() {
    }

    /** A Quarkus service, by its metrics. */
    public static Sample measure(ServiceProcess service) {
        collect(service.pid());
        return new Sample(heapUsed(service.baseUrl()), rss(service.pid()));
    }

    /** Any JVM of this machine's user (the Kurento emulator), by jcmd GC.heap_info. */
    public static Sample measureJvm(long pid) {
        collect(pid);
        return new Sample(heapUsedInHeapInfo(jcmd(pid, "GC.heap_info")), rss(pid));
    }

    private static void collect(long pid) {
        jcmd(pid, "GC.run");
        // G1 gives the freed heap back to the OS concurrently, after the collection: let it, or RSS lags.
        LockSupport.parkNanos(UNCOMMIT.toNanos());
    }

    static String jcmd(long pid, String command) {
        if (!Files.isExecutable(JCMD)) {
            throw new IllegalStateException(JCMD + " is missing: run the harness on a JDK, not a JRE");
        }
        try {
            Process jcmd = new ProcessBuilder(JCMD.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            // Its output is a few lines: read it whole, then the process is done with it.
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd " + pid + " " + command + " did not finish within 60 s");
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long heapUsed(String baseUrl) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return heapUsedIn(metrics);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + baseUrl + "/q/metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sums the heap pools of a Prometheus exposition. */
    static long heapUsedIn(String metrics) {
        long bytes = metrics.lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
        if (bytes == 0) {
            throw new IllegalStateException("no jvm_memory_used_bytes{area=\"heap\"} in the metrics");
        }
        return bytes;
    }

    /** The used heap a G1 JVM reports: {@code garbage-first heap   total reserved …K, committed …K, used 23456K}. */
    static long heapUsedInHeapInfo(String heapInfo) {
        Matcher used = HEAP_INFO_USED.matcher(heapInfo);
        if (!used.find()) {
            throw new IllegalStateException("no used heap in jcmd GC.heap_info (G1 expected): " + heapInfo.strip());
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    static long rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no VmRSS for process " + pid));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
    }
}
