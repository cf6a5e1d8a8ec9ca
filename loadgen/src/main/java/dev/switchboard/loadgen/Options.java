package dev.switchboard.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line. Every size has the standard suite's value as default; {@code --signaling} (with
 * {@code --history}) points the harness at a running Switchboard instead of the stack it starts.
 */
record Options(List<String> scenarios, List<Integer> participants, int roomSize, double arrivalsPerSecond,
               int maxJoining, Duration hold, int resumeEvery, int setupParticipants, double setupRate, int setMediaCalls,
               List<Integer> fanOutSizes, int changes, int connections, int rooms, int capacityParticipants,
               double historyRate, Duration historyDuration, int recoveryParticipants, Duration timeLimit,
               Duration scenarioLimit, Optional<URI> signaling, Optional<URI> history, Optional<String> kafka,
               Optional<String> kms, Optional<String> jwtSecret, Optional<String> benchDir) {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("setmedia", "join", "setup", "fanout", "capacity-connections",
            "capacity-rooms", "capacity-participants", "history-lag", "recovery");
    /** The standard suite: all but what takes longer than its 10 minutes allow. */
    static final List<String> STANDARD = SCENARIOS.stream().filter(name -> !name.equals("capacity-participants")).toList();
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    static final String USAGE = """
            Usage: java -jar loadgen/target/loadgen.jar [options]   (from the repository root, services built)

            Runs the benchmark scenarios against the local stack it starts (embedded Kafka and PostgreSQL, the
            Kurento emulator with KMS-like latencies, the three packaged services), or against a running one on
            this machine; writes bench/results/ID.json, bench/charts/ID.png and bench/RESULTS.md.

              --scenarios LIST          %s
                                        (default: all but capacity-participants)
              --participants LIST       join scenario sizes (default 100,1000)
              --room-size N             participants per room in join, setup, capacity-participants and recovery (default 4)
              --rate N                  participant arrivals per second in join and capacity-participants (default 50)
              --max-joining N           participants setting up their call at once, at most (default 32)
              --hold DURATION           time all participants of join stay in their calls (default 5s)
              --resume-every N          every Nth participant of join drops its socket and resumes (default 10)
              --setup-participants N    participants of each setup run, capped and open loop (default 1000)
              --setup-rate N            their arrivals per second (default 150)
              --setmedia-calls N        sequential setMedia calls on the idle system (default 1000)
              --fanout-sizes LIST       room sizes for fan-out (default 2,10,50)
              --changes N               changes per fan-out room (default 40)
              --connections N           idle connections for capacity-connections (default 50000, capped by ulimit -n)
              --rooms N                 rooms for capacity-rooms (default 300)
              --capacity-participants N participants in calls for capacity-participants (default 10000, capped by ulimit -n)
              --history-rate N          events per second for history lag (default 5000)
              --history-duration D      how long to produce them (default 20s)
              --recovery-participants N participants in calls during recovery (default 1000)
              --time-limit D            the whole run (default 9m30s)
              --scenario-limit D        any one scenario (default 4m30s)
              --signaling URL           a running gateway, ws://127.0.0.1:PORT/signaling (skips starting a stack)
              --history URL             its history-service, http://127.0.0.1:PORT
              --kafka HOST:PORT         its Kafka, for history lag
              --kms URL                 its Kurento, for the floor
              --jwt-secret S            the HS256 secret its services verify (default: the local one)
              --bench-dir DIR           where results go (default bench/ in the repository)

            Durations: 500ms, 20s, 3m. Traffic goes to this machine only.
            """.formatted(String.join(",", SCENARIOS));

    static Options parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        Options options = new Options(
                names(given.remove("scenarios")),
                ints(given.remove("participants"), "100,1000"),
                integer(given.remove("room-size"), 4),
                decimal(given.remove("rate"), 50),
                integer(given.remove("max-joining"), 32),
                duration(given.remove("hold"), "5s"),
                integer(given.remove("resume-every"), 10),
                integer(given.remove("setup-participants"), 1000),
                decimal(given.remove("setup-rate"), 150),
                integer(given.remove("setmedia-calls"), 1000),
                ints(given.remove("fanout-sizes"), "2,10,50"),
                integer(given.remove("changes"), 40),
                integer(given.remove("connections"), 50_000),
                integer(given.remove("rooms"), 300),
                integer(given.remove("capacity-participants"), 10_000),
                decimal(given.remove("history-rate"), 5000),
                duration(given.remove("history-duration"), "20s"),
                integer(given.remove("recovery-participants"), 1000),
                duration(given.remove("time-limit"), "9m30s"),
                duration(given.remove("scenario-limit"), "4m30s"),
                Optional.ofNullable(given.remove("signaling")).map(url -> loopback(URI.create(url))),
                Optional.ofNullable(given.remove("history")).map(url -> loopback(URI.create(url))),
                Optional.ofNullable(given.remove("kafka")).map(Options::loopbackAddress),
                Optional.ofNullable(given.remove("kms")).map(url -> loopback(URI.create(url)).toString()),
                Optional.ofNullable(given.remove("jwt-secret")),
                Optional.ofNullable(given.remove("bench-dir")));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + String.join(", ", given.keySet()));
        }
        if (options.signaling.isPresent() != options.history.isPresent()) {
            throw new IllegalArgumentException("--signaling and --history go together");
        }
        return options;
    }

    private static List<String> names(String value) {
        if (value == null) {
            return STANDARD;
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).toList();
        names.stream().filter(name -> !SCENARIOS.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("no scenario " + name + "; there are " + SCENARIOS);
        });
        return names;
    }

    private static List<Integer> ints(String value, String otherwise) {
        return Arrays.stream((value == null ? otherwise : value).split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private static int integer(String value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(value.replace("_", ""));
    }

    private static double decimal(String value, double otherwise) {
        return value == null ? otherwise : Double.parseDouble(value.replace("_", ""));
    }

    static Duration duration(String value, String otherwise) {
        String text = (value == null ? otherwise : value).trim().toLowerCase();
        Duration total = Duration.ZERO;
        Matcher part = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("not a duration: " + text + " (write 500ms, 20s, 3m or 1m30s)");
        }
        return total;
    }

    /** The harness loads this machine only: a typo must not aim thousands of clients at another host. */
    static URI loopback(URI uri) {
        if (uri.getHost() == null || !LOOPBACK.contains(uri.getHost())) {
            throw new IllegalArgumentException(uri + " is not on this machine: use 127.0.0.1 or localhost");
        }
        return uri;
    }

    private static String loopbackAddress(String hostAndPort) {
        loopback(URI.create("tcp://" + hostAndPort));
        return hostAndPort;
    }
}
