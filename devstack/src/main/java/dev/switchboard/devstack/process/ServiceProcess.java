package dev.switchboard.devstack.process;

import dev.switchboard.devstack.support.Ports;
import dev.switchboard.devstack.support.ShutdownActions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A service running as its own OS process: a packaged Quarkus application
 * ({@code java -jar MODULE/target/quarkus-app/quarkus-run.jar}) or any Java main, started with the
 * java of this JVM. Its output goes to a log file, appended across restarts. Processes still
 * running when this JVM exits are stopped on the way out, so none outlives its starter (unless
 * the starter itself is killed with SIGKILL).
 */
public final class ServiceProcess implements AutoCloseable {

    /** Quarkus's default shutdown is quick; past this a stopping service is considered hung. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(ServiceProcess.class.getName());
    private static final String READINESS_PATH = "/q/health/ready";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration STOP_AT_EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path logFile;
    private final Process process;

    private ServiceProcess(String name, int port, Path logFile, Process process) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /** Starts describing a service; {@code name} appears in messages and in the default log file name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** What to start and how; reusable, so a killed service can be started again the same way. */
    public static final class Builder {

        private final String name;
        private List<String> launch;
        private final Map<String, String> env = new LinkedHashMap<>();
        private int port;
        private Path logFile;
        private Path workingDir;

        private Builder(String name) {
            this.name = name;
        }

        /** A packaged Quarkus service: {@code moduleDir/target/quarkus-app/quarkus-run.jar}. */
        public Builder quarkusApp(Path moduleDir) {
            Path jar = quarkusRunJar(moduleDir);
            this.launch = List.of("-jar", jar.toString());
            return this;
        }

        /** Any Java program: {@code java -cp classpath mainClass args}. */
        public Builder mainClass(String classpath, String mainClass, String... args) {
            List<String> command = new ArrayList<>(List.of("-cp", classpath, mainClass));
            command.addAll(List.of(args));
            this.launch = List.copyOf(command);
            return this;
        }

        /** The HTTP port, passed as QUARKUS_HTTP_PORT; 0 (the default) picks a free one at each start. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Default: NAME.log in the system temporary directory. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder workingDir(Path workingDir) {
            this.workingDir = workingDir;
            return this;
        }

        /** The same service under another name: another instance, on its own port and log file. */
        public Builder copy(String instanceName, int instancePort, Path instanceLogFile) {
            Builder copy = new Builder(instanceName);
            copy.launch = launch;
            copy.env.putAll(env);
            copy.port = instancePort;
            copy.logFile = instanceLogFile;
            copy.workingDir = workingDir;
            return copy;
        }

        public ServiceProcess start() {
            if (launch == null) {
                throw new IllegalStateException(name + ": say what to start, with quarkusApp or mainClass");
            }
            int actualPort = port == 0 ? Ports.free() : port;
            Path log = logFile != null ? logFile : Path.of(System.getProperty("java.io.tmpdir"), name + ".log");
            List<String> command = new ArrayList<>();
            command.add(currentJava());
            command.addAll(launch);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(actualPort));
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                ServiceProcess started = new ServiceProcess(name, actualPort, log, builder.start());
                started.stopAtExit();
                return started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
            }
        }
    }

    /** Where a packaged Quarkus module keeps its runnable jar; fails with what to do if it is not built. */
    public static Path quarkusRunJar(Path moduleDir) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the services first"
                    + " (./mvnw -B -DskipTests install, or ./run-local which does it)");
        }
        return jar.toAbsolutePath();
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Waits until {@code /q/health/ready} answers 200.
     *
     * @throws IllegalStateException if the process exits first or the time runs out, with the end of its log
     */
    public void awaitReady(Duration timeout) {
        URI uri = URI.create(baseUrl() + READINESS_PATH);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready. End of " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready at " + uri + " within " + timeout
                        + ". End of " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
            }
            waitForExit(POLL_INTERVAL);
        }
    }

    /** Sleeps for up to {@code duration}, waking at once if the process exits. */
    private void waitForExit(Duration duration) {
        try {
            process.onExit().get(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still running: poll again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Graceful stop: SIGTERM, then waits up to {@link #DEFAULT_STOP_TIMEOUT}; past it, SIGKILL. */
    public void stop() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    public void stop(Duration timeout) {
        process.destroy();
        if (!awaitExit(timeout)) {
            LOG.warning(name + " did not stop within " + timeout + " of SIGTERM: killing it");
            kill();
        }
    }

    /** Abrupt end, as a crash: SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Freezes the process (SIGSTOP), as a long GC pause or a frozen VM would: it holds its sockets and does nothing. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused process go on (SIGCONT) from where it was frozen. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log file, for messages about this service. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private void stopAtExit() {
        try {
            ShutdownActions.Registration atExit =
                    ShutdownActions.register(name, () -> stop(STOP_AT_EXIT_TIMEOUT));
            process.onExit().thenRun(atExit::close);
        } catch (IllegalStateException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Completes when the process ends, however it ends. */
    public CompletableFuture<ServiceProcess> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + ", port " + port + "]";
    }
}
