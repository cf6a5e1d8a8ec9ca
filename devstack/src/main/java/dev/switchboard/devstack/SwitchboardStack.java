package dev.switchboard.devstack;

import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.kafka.EmbeddedKafka;
import dev.switchboard.devstack.postgres.EmbeddedPostgresServer;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.devstack.support.Directories;
import dev.switchboard.devstack.support.Ports;
import dev.switchboard.emulator.EmulatorSettings;
import dev.switchboard.emulator.KurentoEmulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * All of Switchboard on one machine: embedded Kafka (with Switchboard's topics) and PostgreSQL,
 * the Kurento emulator or a real KMS, and the three packaged services, each as its own process.
 * The launcher runs it for people ({@link Options#local}), the end-to-end tests for themselves
 * ({@link Options#forTests}).
 */
public final class SwitchboardStack implements AutoCloseable {

    public static final String GATEWAY = "signaling-gateway";
    public static final String ROOM_SERVICE = "room-service";
    public static final String HISTORY_SERVICE = "history-service";
    /** In the order they start; they stop in the reverse one. */
    public static final List<String> SERVICES = List.of(ROOM_SERVICE, HISTORY_SERVICE, GATEWAY);

    /** Signs and verifies the tokens of local runs and tests only; never a production secret. */
    public static final String LOCAL_JWT_SECRET = "switchboard-local-development-secret-not-for-production";

    /** The pids of the running services, for {@link #stopLeftoverServices()}. */
    static final String PID_FILE = "services.pid";
    private static final Logger LOG = Logger.getLogger(SwitchboardStack.class.getName());
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "Kafka", 9092, "PostgreSQL", 5432, "the Kurento emulator", 8888,
            GATEWAY, 8080, ROOM_SERVICE, 8081, HISTORY_SERVICE, 8082);

    /**
     * What to run and where.
     *
     * @param repository   the repository root, holding the three built service modules
     * @param stateDir     where logs ({@code logs/NAME.log}) and data go; emptied at start
     * @param defaultPorts true for the well-known ports (a taken one is replaced by a free one, with a note);
     *                     false for free ports everywhere
     * @param kmsUrl       real Kurento Media Servers (comma-separated), or empty for the emulator
     * @param emulators    how many emulators stand in when no real server is given: each is a media server
     *                     of its own to room-service
     * @param emulatorSettings how each emulator runs (garbage-collector period, latency, media timings); the
     *                     port is the stack's choice
     * @param jwtSecret    the HS256 secret the services verify tokens with
     * @param serviceEnv   extra environment variables per service name
     * @param readyTimeout how long the services may take to become ready
     */
    public record Options(Path repository, Path stateDir, boolean defaultPorts, Optional<String> kmsUrl, int emulators,
                          EmulatorSettings emulatorSettings, String jwtSecret, Map<String, Map<String, String>> serviceEnv,
                          Duration readyTimeout) {

        public Options {
            serviceEnv = Map.copyOf(serviceEnv);
        }

        /**
         * The one-command local run: well-known ports, state in {@code .devstack/}, KMS_URL if set, else
         * KMS_EMULATORS emulators (one by default).
         */
        public static Options local(Path repository) {
            return new Options(repository, repository.resolve(".devstack"), true,
                    Optional.ofNullable(System.getenv("KMS_URL")).filter(url -> !url.isBlank()),
                    Optional.ofNullable(System.getenv("KMS_EMULATORS")).filter(n -> !n.isBlank())
                            .map(Integer::parseInt).orElse(1),
                    EmulatorSettings.defaults(), LOCAL_JWT_SECRET, Map.of(), Duration.ofMinutes(3));
        }

        /** For tests: free ports, the emulator, state in {@code stateDir}. */
        public static Options forTests(Path repository, Path stateDir) {
            return new Options(repository, stateDir, false, Optional.empty(), 1, EmulatorSettings.defaults(),
                    LOCAL_JWT_SECRET, Map.of(), Duration.ofMinutes(3));
        }

        public Options withKmsUrl(String kmsUrl) {
            return new Options(repository, stateDir, defaultPorts, Optional.of(kmsUrl), emulators, emulatorSettings,
                    jwtSecret, serviceEnv, readyTimeout);
        }

        public Options withEmulators(int count) {
            return new Options(repository, stateDir, defaultPorts, kmsUrl, count, emulatorSettings, jwtSecret, serviceEnv,
                    readyTimeout);
        }

        /** How the emulators run, such as with a short garbage-collector period for tests of failover. */
        public Options withEmulatorSettings(EmulatorSettings settings) {
            return new Options(repository, stateDir, defaultPorts, kmsUrl, emulators, settings, jwtSecret, serviceEnv,
                    readyTimeout);
        }

        public Options withServiceEnv(String service, String key, String value) {
            Map<String, Map<String, String>> merged = new LinkedHashMap<>(serviceEnv);
            Map<String, String> own = new LinkedHashMap<>(merged.getOrDefault(service, Map.of()));
            own.put(key, value);
            merged.put(service, Map.copyOf(own));
            return new Options(repository, stateDir, defaultPorts, kmsUrl, emulators, emulatorSettings, jwtSecret, merged,
                    readyTimeout);
        }
    }

    private final Options options;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, ServiceProcess.Builder> builders = new LinkedHashMap<>();
    // Read by close(), which may run on the shutdown thread while start() still adds.
    private final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
    private volatile EmbeddedKafka kafka;
    private volatile EmbeddedPostgresServer postgres;
    private final List<KurentoEmulator> emulators = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String kmsUrl;

    private SwitchboardStack(Options options) {
        this.options = options;
    }

    /**
     * Starts everything and waits until every service is ready.
     *
     * @param progress told of each step, for people watching
     * @throws IllegalStateException if a service is not built or does not become ready; what did start is stopped
     */
    public static SwitchboardStack start(Options options, Consumer<String> progress) {
        SwitchboardStack stack = new SwitchboardStack(options);
        try {
            stack.run(progress);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    public static SwitchboardStack start(Options options) {
        return start(options, step -> { });
    }

    private void run(Consumer<String> progress) {
        // Fail on a missing build before anything runs.
        SERVICES.forEach(service -> ServiceProcess.quarkusRunJar(options.repository().resolve(service)));
        stopLeftoverServices();
        Path dataDir = options.stateDir().resolve("data");
        EmbeddedPostgresServer.stopLeftover(dataDir.resolve("postgres"));
        Directories.delete(dataDir);
        Directories.delete(logDir());

        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults()
                .withPort(port("Kafka", progress))
                .withDataDir(dataDir.resolve("kafka")));
        TopicCreator.ensureTopics(kafka.bootstrapServers(), Topics.DEFAULT_PARTITIONS, (short) 1);
        progress.accept("Kafka runs at " + kafka.bootstrapServers() + ", with Switchboard's topics.");

        postgres = EmbeddedPostgresServer.start(EmbeddedPostgresServer.Settings.defaults()
                .withPort(port("PostgreSQL", progress))
                .withDataDir(dataDir.resolve("postgres")));
        progress.accept("PostgreSQL runs at " + postgres.jdbcUrl() + ".");

        if (options.kmsUrl().isPresent()) {
            kmsUrl = options.kmsUrl().get();
            progress.accept("Kurento Media Server: " + kmsUrl + ".");
        } else {
            // The first takes the well-known port; the others any free one.
            EmulatorSettings settings = options.emulatorSettings().withPort(0);
            emulators.add(KurentoEmulator.start(settings.withPort(port("the Kurento emulator", progress))));
            for (int i = 1; i < options.emulators(); i++) {
                emulators.add(KurentoEmulator.start(settings));
            }
            kmsUrl = emulators.stream().map(KurentoEmulator::url).collect(java.util.stream.Collectors.joining(","));
            progress.accept((emulators.size() == 1 ? "The Kurento emulator runs at " : "The Kurento emulators run at ")
                    + kmsUrl + ".");
        }

        Map<String, String> common = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SWITCHBOARD_JWT_SECRET", options.jwtSecret());
        // A killed instance's rooms move once its consumer session expires: 2 s, not the 6 s a default broker
        // requires (the embedded one allows 1 s). Not less: a session shorter than a loaded machine's longest
        // heartbeat gap (a pause of this JVM, which hosts the broker, counts too) expels healthy instances.
        prepare(ROOM_SERVICE, progress, common, Map.of("KMS_URL", kmsUrl, "SWITCHBOARD_KAFKA_SESSION_TIMEOUT", "2s"));
        prepare(HISTORY_SERVICE, progress, common, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password()));
        prepare(GATEWAY, progress, common, Map.of("SWITCHBOARD_DEV_TOKENS_ENABLED", "true"));
        progress.accept("Starting " + String.join(", ", SERVICES) + " (logs in " + logDir() + ")...");
        SERVICES.forEach(service -> services.put(service, builders.get(service).start()));
        recordServicePids();
        // They start together; the slowest sets the pace, and the first to fail ends the wait.
        inParallel(services.values().stream().map(service -> () -> service.awaitReady(options.readyTimeout())));
    }

    /**
     * Runs the tasks at once and waits for all of them. The first failure interrupts the others and
     * is thrown as it is.
     */
    private static void inParallel(Stream<Runnable> tasks) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> firstFailure = new CompletableFuture<>();
            CompletableFuture<?>[] running = tasks
                    .map(task -> CompletableFuture.runAsync(task, executor).whenComplete((done, failure) -> {
                        if (failure != null) {
                            firstFailure.completeExceptionally(failure);
                        }
                    }))
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.anyOf(CompletableFuture.allOf(running), firstFailure).join();
            } catch (CompletionException e) {
                executor.shutdownNow();
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    /** The port for a part of the stack; 0 lets the part pick a free one itself. */
    private int port(String what, Consumer<String> progress) {
        if (!options.defaultPorts()) {
            return 0;
        }
        int preferred = DEFAULT_PORTS.get(what);
        int port = Ports.preferred(preferred);
        if (port != preferred) {
            notes.add("Port " + preferred + " is taken: " + what + " uses " + port + " instead.");
            progress.accept(notes.getLast());
        }
        return port;
    }

    private void prepare(String service, Consumer<String> progress, Map<String, String> common, Map<String, String> own) {
        int port = port(service, progress);
        builders.put(service, ServiceProcess.builder(service)
                .quarkusApp(options.repository().resolve(service))
                // Fixed now, so that a restarted service comes back where its clients expect it.
                .port(port == 0 ? Ports.free() : port)
                .env(common)
                .env(own)
                .env(options.serviceEnv().getOrDefault(service, Map.of()))
                .logFile(logDir().resolve(service + ".log"))
                .workingDir(options.repository()));
    }

    /**
     * Starts a service again the same way, on the same port, after stopping it if it still runs; waits until it is ready.
     * For tests of crashes and redeploys.
     */
    public ServiceProcess restartService(String service) {
        ServiceProcess old = service(service);
        if (old.isAlive()) {
            old.stop();
        }
        ServiceProcess restarted = builders.get(service).start();
        services.put(service, restarted);
        recordServicePids();
        restarted.awaitReady(options.readyTimeout());
        return restarted;
    }

    /**
     * Starts one more instance of a service, named {@code instanceName}, on a free port with the same
     * settings, and waits until it is ready. For tests of failover between instances.
     */
    public ServiceProcess startInstance(String service, String instanceName) {
        ServiceProcess.Builder builder = builders.get(service)
                .copy(instanceName, Ports.free(), logDir().resolve(instanceName + ".log"));
        builders.put(instanceName, builder);
        ServiceProcess started = builder.start();
        services.put(instanceName, started);
        recordServicePids();
        started.awaitReady(options.readyTimeout());
        return started;
    }

    /** The running process of a service or instance, by its name. */
    public ServiceProcess service(String service) {
        return Optional.ofNullable(services.get(service))
                .orElseThrow(() -> new IllegalArgumentException("no service " + service + "; there are " + SERVICES));
    }

    public List<ServiceProcess> services() {
        return SERVICES.stream().map(services::get).toList();
    }

    public String signalingUrl() {
        return "ws://localhost:" + service(GATEWAY).port() + "/signaling";
    }

    public String gatewayUrl() {
        return localUrl(GATEWAY);
    }

    public String roomServiceUrl() {
        return localUrl(ROOM_SERVICE);
    }

    public String historyUrl() {
        return localUrl(HISTORY_SERVICE);
    }

    private String localUrl(String service) {
        return "http://localhost:" + service(service).port();
    }

    public String jwtSecret() {
        return options.jwtSecret();
    }

    public String kmsUrl() {
        return kmsUrl;
    }

    /** The (first) emulator, or empty when a real KMS is in use. */
    public Optional<KurentoEmulator> emulator() {
        return emulators.stream().findFirst();
    }

    /** Every emulator, in the order room-service was given them; empty when real servers are in use. */
    public List<KurentoEmulator> emulators() {
        return List.copyOf(emulators);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public Path logDir() {
        return options.stateDir().resolve("logs");
    }

    /** What people should know about this run, such as ports that were taken. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Services first, all at once, then what they use. */
    @Override
    public synchronized void close() {
        closeQuietly("the services", () -> inParallel(services.values().stream().map(service -> service::close)));
        for (KurentoEmulator emulator : emulators) {
            closeQuietly("the Kurento emulator", emulator::close);
        }
        if (kafka != null) {
            closeQuietly("Kafka", kafka::close);
        }
        if (postgres != null) {
            closeQuietly("PostgreSQL", postgres::close);
        }
    }

    // One failure must not leave the rest running.
    private static void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot stop " + what, e);
        }
    }

    /** A stack whose JVM was killed with SIGKILL could not stop its services; the next one does. */
    private void stopLeftoverServices() {
        Path pidFile = options.stateDir().resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(pidFile)) {
                ProcessHandle.of(Long.parseLong(line.trim()))
                        .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                        .ifPresent(leftover -> {
                            LOG.warning("stopping service process " + leftover.pid() + " left from an earlier run");
                            leftover.destroy();
                            leftover.onExit().join();
                        });
            }
            Files.delete(pidFile);
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "cannot read " + pidFile, e);
        }
    }

    private void recordServicePids() {
        try {
            Files.write(options.stateDir().resolve(PID_FILE),
                    services.values().stream().map(service -> String.valueOf(service.pid())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
