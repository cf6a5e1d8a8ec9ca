package dev.switchboard.loadgen;

import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.loadgen.client.Fleet;
import dev.switchboard.loadgen.metrics.Progress;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.ResultWriter;
import dev.switchboard.loadgen.report.ScenarioResult;
import dev.switchboard.loadgen.scenario.FanOut;
import dev.switchboard.loadgen.scenario.JoinLatency;
import dev.switchboard.loadgen.scenario.Run;
import dev.switchboard.loadgen.scenario.Scenario;
import dev.switchboard.loadgen.target.EmulatorProcess;
import dev.switchboard.loadgen.target.Target;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark harness's command line: starts the local stack (or takes a running one), runs the
 * scenarios one after the other within the time limit, writes each result as it finishes and prints
 * the table at the end.
 */
public final class LoadGen {

    private static final int WARM_UP_PARTICIPANTS = 40;
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(90);

    private final PrintStream console;

    LoadGen(PrintStream console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.setProperty("java.awt.headless", "true");
        if (args.length == 1 && List.of("-h", "--help").contains(args[0])) {
            System.out.println(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage() + "\n\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        ConsoleLogging.install();
        try {
            new LoadGen(System.out).run(options);
        } catch (RuntimeException e) {
            System.err.println("loadgen: " + (e.getMessage() != null ? e.getMessage() : e));
            System.exit(1);
        }
        // The stack's exit hooks have nothing left to stop; leftover client threads must not keep us.
        System.exit(0);
    }

    void run(Options options) {
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        Path repository = findRepository(Path.of("").toAbsolutePath());
        ResultWriter writer = new ResultWriter(options.benchDir().map(Path::of).orElse(repository.resolve("bench")));
        List<Scenario> scenarios = Suite.of(options);
        try (LocalStack local = options.signaling().isPresent() ? null : LocalStack.start(repository, console)) {
            Target target = local != null ? local.target(repository) : remote(options);
            Fleet fleet = new Fleet(target.signaling(), target.jwtSecret());
            String runId = "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
            warmUp(options, target, fleet, runId + "-warmup", deadline);
            List<ScenarioResult> results = new ArrayList<>();
            for (Scenario scenario : scenarios) {
                if (System.nanoTime() > deadline) {
                    console.println("loadgen: time limit reached; not run: " + scenario.id());
                    continue;
                }
                long scenarioDeadline = Math.min(deadline, System.nanoTime() + options.scenarioLimit().toNanos());
                ScenarioResult result = runOne(scenario, target, fleet, runId, scenarioDeadline);
                writer.write(result);
                results.add(result);
            }
            console.println();
            console.println(ResultWriter.markdown(results));
            console.println("loadgen: results in " + writer.summaryFile());
        }
    }

    /**
     * A short run whose figures are thrown away: the services' JIT, connection pools and Kafka
     * producers get going before anything is measured, as they are in a system that has been up a while.
     */
    private void warmUp(Options options, Target target, Fleet fleet, String runId, long deadline) {
        long warmUpDeadline = Math.min(deadline, System.nanoTime() + WARM_UP_LIMIT.toNanos());
        for (Scenario scenario : List.of(
                new JoinLatency(WARM_UP_PARTICIPANTS, options.roomSize(), options.arrivalsPerSecond(), options.maxJoining(),
                        Duration.ZERO, 2),
                new FanOut(10, 20))) {
            ScenarioResult result = runOne(scenario, target, fleet, runId, warmUpDeadline);
            if (result.failedOperations() > 0 || !result.notes().isEmpty()) {
                console.println("loadgen: warm-up: " + result.failures() + " " + result.notes());
            }
        }
    }

    private ScenarioResult runOne(Scenario scenario, Target target, Fleet fleet, String runId, long deadline) {
        Measurements measurements = new Measurements();
        try (Progress progress = new Progress(console, scenario.id(), measurements.failures())) {
            scenario.run(new Run(target, fleet, measurements, progress, runId, deadline));
        } catch (Target.Skipped skipped) {
            measurements.note("skipped: " + skipped.getMessage());
        } catch (RuntimeException e) {
            measurements.note("stopped by " + e);
        }
        if (System.nanoTime() > deadline) {
            measurements.note("reached its time limit");
        }
        return measurements.result(scenario.id(), scenario.title());
    }

    private static Target remote(Options options) {
        return new Target(options.signaling().orElseThrow(), options.history().orElseThrow(),
                options.jwtSecret().orElse(SwitchboardStack.LOCAL_JWT_SECRET), options.kafka(), options.kms(),
                Optional.empty());
    }

    static Path findRepository(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path candidate = dir;
            if (Files.isDirectory(dir.resolve("loadgen"))
                    && SwitchboardStack.SERVICES.stream().allMatch(service -> Files.isDirectory(candidate.resolve(service)))) {
                return dir;
            }
        }
        throw new IllegalStateException("run me from the Switchboard repository: no loadgen/ and services in "
                + from + " or above");
    }

    /**
     * The Switchboard the harness runs itself: the Kurento emulator, as a process of its own, with the
     * latencies KMS was measured to have (so the floor and the services pay what they would on a real
     * one), and the stack on free ports, its state in loadgen/target/stack. Empty rooms keep their
     * pipeline 5 s instead of 30 s, so the rooms a scenario leaves are gone when the next one measures
     * memory.
     */
    private record LocalStack(EmulatorProcess emulator, SwitchboardStack stack) implements AutoCloseable {

        private static final Duration EMPTY_ROOM_TIMEOUT = Duration.ofSeconds(5);

        static LocalStack start(Path repository, PrintStream console) {
            EmulatorProcess emulator = EmulatorProcess.start(repository.resolve("loadgen/target/kurento-emulator.log"));
            try {
                console.println("loadgen: Kurento emulator (" + EmulatorProcess.LATENCY_MODEL + " latencies) at " + emulator.url());
                SwitchboardStack stack = SwitchboardStack.start(SwitchboardStack.Options
                        .forTests(repository, repository.resolve("loadgen/target/stack"))
                        .withKmsUrl(emulator.url())
                        .withServiceEnv(SwitchboardStack.ROOM_SERVICE, "SWITCHBOARD_ROOM_EMPTY_TIMEOUT",
                                EMPTY_ROOM_TIMEOUT.toSeconds() + "s"), step -> console.println("loadgen: " + step));
                return new LocalStack(emulator, stack);
            } catch (RuntimeException e) {
                emulator.close();
                throw e;
            }
        }

        Target target(Path repository) {
            return new Target(URI.create(stack.signalingUrl()), URI.create(stack.historyUrl()), stack.jwtSecret(),
                    Optional.of(stack.kafka().bootstrapServers()), Optional.of(emulator.url()),
                    Optional.of(new Target.Local(stack, emulator, repository, EMPTY_ROOM_TIMEOUT)));
        }

        @Override
        public void close() {
            stack.close();
            emulator.close();
        }
    }
}
