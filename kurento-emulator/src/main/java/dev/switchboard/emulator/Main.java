package dev.switchboard.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * {@code java -jar kurento-emulator.jar [--port 8888] [--host 127.0.0.1] [--gc-period 240s]
 * [--latency none|realistic] [--workers 2] [--log-requests]}: runs the emulator until the process is stopped.
 */
public final class Main {

    private static final String USAGE = """
            Usage: java -jar kurento-emulator.jar [options]
              --port N             port of ws://HOST:N/kurento and http://HOST:N/admin (default 8888; 0 = any free port)
              --host ADDRESS       address to listen on (default 127.0.0.1)
              --gc-period TIME     KMS garbageCollectorPeriod, such as 240s, 10s, 500ms (default 240s)
              --latency MODEL      none (default) or realistic (KMS 7.3 timings)
              --workers N          KMS worker threads, one per core of the emulated server (default 2)
              --log-requests       log one line per request
            A stand-in for Kurento Media Server: the Kurento protocol without media.""";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        // Netty's off-heap tricks gain nothing at the emulator's load and make recent JDKs warn at startup.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        EmulatorSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (settings == null) {
            System.out.println(USAGE);
            return;
        }
        KurentoEmulator emulator = KurentoEmulator.start(settings);
        Logger.getLogger(Main.class.getName()).info(() -> "Kurento emulator (protocol only, no media) at " + emulator.url()
                + ", admin API at " + emulator.adminUrl());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "kurento-emulator-shutdown"));
        stopped.await();
    }

    /** The settings the arguments ask for, or null when they ask for help. */
    static EmulatorSettings parse(String... args) {
        EmulatorSettings settings = EmulatorSettings.defaults().withPort(8888);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--port" -> settings = settings.withPort(Integer.parseInt(value(args, ++i, option)));
                case "--host" -> settings = settings.withHost(value(args, ++i, option));
                case "--gc-period" -> settings = settings.withGcPeriod(duration(value(args, ++i, option)));
                case "--latency" -> settings = settings.withLatency(LatencyModel.named(value(args, ++i, option)));
                case "--workers" -> settings = settings.withWorkers(Integer.parseInt(value(args, ++i, option)));
                case "--log-requests" -> settings = settings.withLogRequests(true);
                case "--help", "-h" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        return settings;
    }

    /** {@code 240s}, {@code 500ms}, {@code 4m}, or a number of seconds. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a duration: " + text + " (use 240s, 500ms, 4m)");
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
