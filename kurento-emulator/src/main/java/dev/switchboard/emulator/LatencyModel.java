package dev.switchboard.emulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the emulated server takes to answer each kind of call, so benchmarks pay what a real KMS
 * costs. Keys name calls the way fault rules do: {@code create:WebRtcEndpoint}, {@code create}, an
 * invoke operation such as {@code processOffer} (or {@code invoke:processOffer}), or any JSON-RPC
 * method; the most specific key that has a cost applies. A cost is drawn uniformly from its range.
 */
public record LatencyModel(Map<String, Cost> costs) {

    public record Cost(Duration min, Duration max) {

        public Cost {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max below min: " + min + " > " + max);
            }
        }

        Duration sample(RandomGenerator random) {
            long spread = max.toMillis() - min.toMillis();
            return min.plusMillis(spread == 0 ? 0 : random.nextLong(spread + 1));
        }
    }

    public LatencyModel {
        costs = Map.copyOf(costs);
    }

    /** Every call answers as fast as the machine allows: the default, for tests. */
    public static LatencyModel none() {
        return new LatencyModel(Map.of());
    }

    /** What KMS 7.3 was measured to take: creating a pipeline or a WebRtcEndpoint ~45 ms, processOffer 5-45 ms. */
    public static LatencyModel realistic() {
        return none()
                .with("create:MediaPipeline", Duration.ofMillis(40), Duration.ofMillis(50))
                .with("create:WebRtcEndpoint", Duration.ofMillis(40), Duration.ofMillis(50))
                .with("create:PassThrough", Duration.ofMillis(5), Duration.ofMillis(10))
                .with("processOffer", Duration.ofMillis(5), Duration.ofMillis(45))
                .with("processAnswer", Duration.ofMillis(5), Duration.ofMillis(45))
                .with("generateOffer", Duration.ofMillis(5), Duration.ofMillis(15))
                .with("gatherCandidates", Duration.ofMillis(1), Duration.ofMillis(2))
                .with("invoke:connect", Duration.ofMillis(1), Duration.ofMillis(2))
                .with("release", Duration.ofMillis(1), Duration.ofMillis(3));
    }

    /** {@code none} or {@code realistic}, as the command line names them. */
    public static LatencyModel named(String name) {
        return switch (name) {
            case "none" -> none();
            case "realistic" -> realistic();
            default -> throw new IllegalArgumentException("Unknown latency model '" + name + "' (none, realistic)");
        };
    }

    public LatencyModel with(String call, Duration min, Duration max) {
        Map<String, Cost> changed = new HashMap<>(costs);
        changed.put(call, new Cost(min, max));
        return new LatencyModel(changed);
    }

    /** The cost of a call known by these names, most specific first. */
    public Duration sample(List<String> callNames, RandomGenerator random) {
        for (String name : callNames) {
            Cost cost = costs.get(name);
            if (cost != null) {
                return cost.sample(random);
            }
        }
        return Duration.ZERO;
    }
}
