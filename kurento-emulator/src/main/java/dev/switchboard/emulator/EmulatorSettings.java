package dev.switchboard.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How to run an emulator.
 *
 * @param host        the address to listen on
 * @param port        the port for both the Kurento WebSocket ({@code /kurento}) and the admin API; 0 picks a free one
 * @param gcPeriod    KMS's {@code garbageCollectorPeriod}: a session idle this long, twice over, loses its objects
 * @param latency     how long calls take, and how long they keep a worker busy
 * @param workers     KMS's worker threads, one per core of the emulated server: how many calls are worked on at once
 * @param media       how long the simulated media takes to connect and to notice a peer is gone
 * @param logRequests whether to log a line per request
 */
public record EmulatorSettings(String host, int port, Duration gcPeriod, LatencyModel latency, int workers,
        MediaTimings media, boolean logRequests) {

    /** The recorded KMS ran on two cores ("Worker thread pool size: 2"). */
    public static final int DEFAULT_WORKERS = 2;

    public EmulatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(gcPeriod, "gcPeriod");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(media, "media");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (gcPeriod.isNegative() || gcPeriod.isZero()) {
            throw new IllegalArgumentException("gcPeriod must be positive: " + gcPeriod);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
    }

    /** Loopback, a free port, KMS's 240 s collector, no latency, two workers, realistic media timings, quiet. */
    public static EmulatorSettings defaults() {
        return new EmulatorSettings("127.0.0.1", 0, Duration.ofSeconds(240), LatencyModel.none(), DEFAULT_WORKERS,
                MediaTimings.realistic(), false);
    }

    public EmulatorSettings withHost(String value) {
        return new EmulatorSettings(value, port, gcPeriod, latency, workers, media, logRequests);
    }

    public EmulatorSettings withPort(int value) {
        return new EmulatorSettings(host, value, gcPeriod, latency, workers, media, logRequests);
    }

    public EmulatorSettings withGcPeriod(Duration value) {
        return new EmulatorSettings(host, port, value, latency, workers, media, logRequests);
    }

    public EmulatorSettings withLatency(LatencyModel value) {
        return new EmulatorSettings(host, port, gcPeriod, value, workers, media, logRequests);
    }

    public EmulatorSettings withWorkers(int value) {
        return new EmulatorSettings(host, port, gcPeriod, latency, value, media, logRequests);
    }

    public EmulatorSettings withMedia(MediaTimings value) {
        return new EmulatorSettings(host, port, gcPeriod, latency, workers, value, logRequests);
    }

    public EmulatorSettings withLogRequests(boolean value) {
        return new EmulatorSettings(host, port, gcPeriod, latency, workers, media, value);
    }
}
