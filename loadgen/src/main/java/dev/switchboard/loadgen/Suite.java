package dev.switchboard.loadgen;

import dev.switchboard.loadgen.scenario.CallCapacity;
import dev.switchboard.loadgen.scenario.ConnectionCapacity;
import dev.switchboard.loadgen.scenario.FanOut;
import dev.switchboard.loadgen.scenario.HistoryLag;
import dev.switchboard.loadgen.scenario.JoinLatency;
import dev.switchboard.loadgen.scenario.Recovery;
import dev.switchboard.loadgen.scenario.RoomCapacity;
import dev.switchboard.loadgen.scenario.Scenario;
import dev.switchboard.loadgen.scenario.SetMediaRoundTrip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios a command line asks for, in the order they run: the idle round trip first, then the
 * latency and throughput scenarios, on a fresh system; capacity next; recovery last, since it kills
 * and restarts a room-service.
 */
final class Suite {

    /** Idle connections open this fast: the gateway's accept path, not the benchmark, is what is timed. */
    private static final double CONNECTS_PER_SECOND = 2000;

    private Suite() {
    }

    static List<Scenario> of(Options options) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : Options.SCENARIOS) {
            if (!options.scenarios().contains(name)) {
                continue;
            }
            switch (name) {
                case "setmedia" -> scenarios.add(new SetMediaRoundTrip(options.setMediaCalls()));
                case "join" -> options.participants().forEach(count -> scenarios.add(new JoinLatency(count,
                        options.roomSize(), options.arrivalsPerSecond(), options.maxJoining(), options.hold(),
                        options.resumeEvery())));
                // Throughput: capped as join is, then open loop; no hold and no resumes, only setups.
                case "setup" -> List.of(options.maxJoining(), JoinLatency.OPEN_LOOP).forEach(cap -> scenarios.add(
                        new JoinLatency(options.setupParticipants(), options.roomSize(), options.setupRate(), cap,
                                Duration.ZERO, 0)));
                case "fanout" -> options.fanOutSizes().forEach(size -> scenarios.add(new FanOut(size, options.changes())));
                case "capacity-connections" -> scenarios.add(new ConnectionCapacity(options.connections(), CONNECTS_PER_SECOND));
                case "capacity-rooms" -> scenarios.add(new RoomCapacity(options.rooms(), options.arrivalsPerSecond(),
                        options.maxJoining()));
                case "capacity-participants" -> scenarios.add(new CallCapacity(options.capacityParticipants(),
                        options.roomSize(), options.arrivalsPerSecond(), options.maxJoining()));
                case "history-lag" -> scenarios.add(new HistoryLag(options.historyRate(), options.historyDuration()));
                case "recovery" -> scenarios.add(new Recovery(options.recoveryParticipants(),
                        options.roomSize(), options.arrivalsPerSecond(), options.maxJoining()));
                default -> throw new IllegalArgumentException("no scenario " + name);
            }
        }
        return scenarios;
    }
}
