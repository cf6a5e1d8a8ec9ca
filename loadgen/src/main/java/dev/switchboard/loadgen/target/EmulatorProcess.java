package dev.switchboard.loadgen.target;

import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.devstack.support.Ports;
import dev.switchboard.emulator.Main;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The Kurento emulator as a process of its own, with the latencies KMS was measured to have: its
 * latencies are not stretched by the harness's garbage collections, and its memory can be measured
 * apart from the simulated clients'. Started from the harness's own classpath.
 */
public final class EmulatorProcess implements AutoCloseable {

    public static final String LATENCY_MODEL = "realistic";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceProcess process;
    private final int port;

    private EmulatorProcess(ServiceProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static EmulatorProcess start(Path logFile) {
        int port = Ports.free();
        // java -jar loadgen.jar gives a relative classpath; the child may not share the working directory.
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        ServiceProcess process = ServiceProcess.builder("kurento-emulator")
                .mainClass(classpath, Main.class.getName(), "--port", String.valueOf(port), "--latency", LATENCY_MODEL)
                .logFile(logFile)
                .start();
        EmulatorProcess emulator = new EmulatorProcess(process, port);
        try {
            emulator.awaitAnswering();
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return emulator;
    }

    private void awaitAnswering() {
        HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/info"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(info, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IllegalStateException("the Kurento emulator did not answer within " + START.toSeconds() + " s. End of "
                + process.logFile() + ":\n" + process.logTail(20));
    }

    /** The Kurento WebSocket, as a KMS_URL. */
    public String url() {
        return "ws://127.0.0.1:" + port + "/kurento";
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
