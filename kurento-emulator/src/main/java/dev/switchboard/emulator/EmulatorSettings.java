package dev.switchboard.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How to run an emulator.
 *
 * @param host        the address to listen on
 * @param port        the port for both the Kurento WebSocket ({@code /kurento}) and the admin API; 0 picks a free one
 * @param gcPeriod    KMS's {@code garbageCollectorPeriod}: a session idle this long, twice over, loses its objects
 * @param latency     how long calls take
 * @param media       how long the simulated media takes to connect and to notice a peer is gone
 * @param logRequests whether to log a line per request
 */
public record EmulatorSettings(String host, int port, Duration gcPeriod, LatencyModel latency, MediaTimings media,
        boolean logRequests) {

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
    }

    /** Loopback, a free port, KMS's 240 s collector, no latency, realistic media timings, quiet. */
    public static EmulatorSettings defaults() {
        return new EmulatorSettings("127.0.0.1", 0, Duration.ofSeconds(240), LatencyModel.none(), MediaTimings.realistic(), false);
    }

    public EmulatorSettings withHost(String value) {
        return new EmulatorSettings(value, port, gcPeriod, latency, media, logRequests);
    }

    public EmulatorSettings withPort(int value) {
        return new EmulatorSettings(host, value, gcPeriod, latency, media, logRequests);
    }

    public EmulatorSettings withGcPeriod(Duration value) {
        return new EmulatorSettings(host, port, value, latency, media, logRequests);
    }

    public EmulatorSettings withLatency(LatencyModel value) {
        return new EmulatorSettings(host, port, gcPeriod, value, media, logRequests);
    }

    public EmulatorSettings withMedia(MediaTimings value) {
        return new EmulatorSettings(host, port, gcPeriod, latency, value, logRequests);
    }

    public EmulatorSettings withLogRequests(boolean value) {
        return new EmulatorSettings(host, port, gcPeriod, latency, media, value);
    }
}
