package dev.switchboard.emulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the emulated server takes to answer each kind of call, and how long the call keeps one of
 * its workers busy, so benchmarks pay what a real KMS costs. Keys name calls the way fault rules do:
 * {@code create:WebRtcEndpoint}, {@code create}, an invoke operation such as {@code processOffer} (or
 * {@code invoke:processOffer}), or any JSON-RPC method; the most specific key that has a cost applies.
 *
 * @param costs       what each kind of call costs
 * @param certificate what the first WebRtcEndpoint of a fresh server costs on top (KMS generates its DTLS certificate then)
 */
public record LatencyModel(Map<String, Cost> costs, Duration certificate) {

    /** A point of a latency distribution: the fraction {@code p} of calls answer within {@code millis}. */
    public record Quantile(double p, double millis) {
    }

    /**
     * A kind of call: its latency on an idle server, as the quantile function through the given points
     * (straight lines between them, from p=0 to p=1), and the worker time it costs. KMS answers some
     * calls before it is done with them; the worker stays busy for the longer of the two.
     */
    public record Cost(List<Quantile> latency, Duration work) {

        public Cost {
            latency = List.copyOf(latency);
            Objects.requireNonNull(work, "work");
            if (latency.size() < 2 || latency.getFirst().p() != 0 || latency.getLast().p() != 1) {
                throw new IllegalArgumentException("quantiles must run from p=0 to p=1: " + latency);
            }
            for (int i = 1; i < latency.size(); i++) {
                Quantile previous = latency.get(i - 1);
                Quantile next = latency.get(i);
                if (next.p() <= previous.p() || next.millis() < previous.millis() || previous.millis() < 0) {
                    throw new IllegalArgumentException("quantiles must grow: " + previous + " then " + next);
                }
            }
        }

        /** Any latency from min to max alike, the worker busy until the answer. */
        public static Cost uniform(Duration min, Duration max) {
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max below min: " + min + " > " + max);
            }
            return new Cost(List.of(new Quantile(0, millis(min)), new Quantile(1, millis(max))), Duration.ZERO);
        }

        static Cost of(double workMillis, double... pointsAndMillis) {
            Quantile[] points = new Quantile[pointsAndMillis.length / 2];
            for (int i = 0; i < points.length; i++) {
                points[i] = new Quantile(pointsAndMillis[2 * i], pointsAndMillis[2 * i + 1]);
            }
            return new Cost(List.of(points), ofMillis(workMillis));
        }

        Sample sample(RandomGenerator random) {
            double u = random.nextDouble();
            int upper = 1;
            while (latency.get(upper).p() < u) {
                upper++;
            }
            Quantile low = latency.get(upper - 1);
            Quantile high = latency.get(upper);
            double at = low.millis() + (high.millis() - low.millis()) * (u - low.p()) / (high.p() - low.p());
            return new Sample(ofMillis(at), work);
        }
    }

    /**
     * One call's draw: when it answers once a worker has taken it, and how long it holds that worker
     * (never less than its latency).
     */
    public record Sample(Duration latency, Duration work) {

        public static final Sample NONE = new Sample(Duration.ZERO, Duration.ZERO);

        public Sample {
            work = work.compareTo(latency) < 0 ? latency : work;
        }

        /** Both, one after the other on one worker: how KMS runs the operations of a transaction. */
        public Sample plus(Sample other) {
            return new Sample(latency.plus(other.latency), work.plus(other.work));
        }
    }

    // Calibrated against the 2026-12-02 recordings of KMS 7.3 on a 2-core machine (docs/kurento-emulator.md):
    // latencies are the sequential table and the traces' t_ms; worker times reproduce concurrency.jsonl.
    private static final Cost SDP_NEGOTIATION = Cost.of(18, 0, 4.0, 0.5, 8.8, 0.9, 15.3, 0.99, 27.3, 1, 34.7);
    private static final Cost SMALL_CREATE = Cost.of(0, 0, 0.3, 0.5, 1.5, 0.9, 7.0, 1, 8.0);
    private static final Cost QUICK_CALL = Cost.of(0, 0, 0.1, 0.5, 0.5, 0.9, 1.2, 1, 2.0);

    public LatencyModel {
        costs = Map.copyOf(costs);
        Objects.requireNonNull(certificate, "certificate");
    }

    /** Every call answers as fast as the machine allows: the default, for tests. */
    public static LatencyModel none() {
        return new LatencyModel(Map.of(), Duration.ZERO);
    }

    /** What KMS 7.3 was measured to take on a 2-core machine: see docs/kurento-emulator.md for the figures. */
    public static LatencyModel realistic() {
        return new LatencyModel(Map.ofEntries(
                Map.entry("create:WebRtcEndpoint", Cost.of(25, 0, 2.0, 0.5, 6.0, 0.9, 11.5, 0.99, 45.0, 1, 45.1)),
                Map.entry("create:MediaPipeline", SMALL_CREATE),
                Map.entry("create:PassThrough", SMALL_CREATE),
                Map.entry("create", SMALL_CREATE),
                Map.entry("processOffer", SDP_NEGOTIATION),
                Map.entry("processAnswer", SDP_NEGOTIATION),
                Map.entry("generateOffer", SDP_NEGOTIATION),
                // Mostly 1-2 ms as in basic-call; the tail is what the sequential create + processOffer +
                // gatherCandidates row has left once the other two and their worker time are paid.
                Map.entry("gatherCandidates", Cost.of(0, 0, 0.5, 0.5, 1.0, 0.8, 2.0, 0.9, 42.0, 0.99, 70.0, 1, 75.0)),
                Map.entry("invoke:connect", Cost.of(0, 0, 0.2, 0.5, 0.7, 0.9, 1.2, 1, 2.0)),
                Map.entry("invoke:disconnect", Cost.of(0, 0, 0.2, 0.5, 0.7, 0.9, 1.2, 1, 2.0)),
                Map.entry("addIceCandidate", Cost.of(0, 0, 0.2, 0.5, 1.0, 0.9, 2.0, 1, 3.0)),
                Map.entry("subscribe", Cost.of(0, 0, 0.1, 0.5, 0.4, 0.9, 1.5, 0.99, 3.0, 1, 5.0)),
                Map.entry("unsubscribe", QUICK_CALL),
                Map.entry("release", Cost.of(0, 0, 0.2, 0.5, 1.0, 0.9, 2.0, 1, 4.0)),
                Map.entry("ping", Cost.of(0, 0, 0.5, 0.5, 1.5, 0.9, 4.0, 1, 6.0)),
                Map.entry("invoke", QUICK_CALL),
                Map.entry("describe", QUICK_CALL),
                Map.entry("ref", QUICK_CALL),
                Map.entry("unref", QUICK_CALL),
                Map.entry("keepAlive", QUICK_CALL),
                Map.entry("connect", QUICK_CALL),
                Map.entry("closeSession", QUICK_CALL)),
                Duration.ofMillis(300));
    }

    /** {@code none} or {@code realistic}, as the command line names them. */
    public static LatencyModel named(String name) {
        return switch (name) {
            case "none" -> none();
            case "realistic" -> realistic();
            default -> throw new IllegalArgumentException("Unknown latency model '" + name + "' (none, realistic)");
        };
    }

    /** This model with calls of that name costing anything from min to max, uniformly. */
    public LatencyModel with(String call, Duration min, Duration max) {
        return with(call, Cost.uniform(min, max));
    }

    public LatencyModel with(String call, Cost cost) {
        Map<String, Cost> changed = new HashMap<>(costs);
        changed.put(call, cost);
        return new LatencyModel(changed, certificate);
    }

    /** The cost of a call known by these names, most specific first. */
    public Sample sample(List<String> callNames, RandomGenerator random) {
        for (String name : callNames) {
            Cost cost = costs.get(name);
            if (cost != null) {
                return cost.sample(random);
            }
        }
        return Sample.NONE;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static Duration ofMillis(double millis) {
        return Duration.ofNanos(Math.round(millis * 1e6));
    }
}
