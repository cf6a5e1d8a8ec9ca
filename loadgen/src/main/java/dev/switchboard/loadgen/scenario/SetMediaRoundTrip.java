package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.metrics.LatencySummary;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;

/**
 * The round trip of a command that needs no Kurento, on an otherwise idle system (once the rooms of
 * what ran before it have closed, on the stack the harness runs): two participants
 * in a room, one publishing, and then {@code calls} setMedia from the publisher, one after the other,
 * each sent once the one before is answered. What is left is the gateway, Kafka both ways and the
 * room actor.
 */
public record SetMediaRoundTrip(int calls) implements Scenario {

    static final String SET_MEDIA = "setMedia → result (idle system)";
    /** At most 40 calls a second: the gateway refuses more than 50 a second from one connection. */
    private static final java.time.Duration PACE = java.time.Duration.ofMillis(25);

    @Override
    public String id() {
        return "setmedia";
    }

    @Override
    public String title() {
        return calls + " sequential setMedia round trips on an idle system";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        m.parameter("calls", calls).parameter("roomSize", 2);
        // The warm-up's rooms close a few seconds after it: idle means after that.
        run.target().local().ifPresent(local -> CallCapacity.awaitEmptyRoomsClosed(run, local));
        String roomId = run.runId() + "-setmedia";
        SimulatedClient[] members = {new SimulatedClient(run.fleet(), "idle-0", roomId), new SimulatedClient(run.fleet(), "idle-1", roomId)};
        try {
            run.progress().phase("joining", members.length);
            for (SimulatedClient member : members) {
                member.connect();
                m.time(JoinLatency.JOIN, member::join);
                run.progress().step();
            }
            SimulatedClient publisher = members[0];
            m.time(JoinLatency.PUBLISH, publisher::publish);
            run.progress().phase("setMedia", calls);
            for (int call = 0; call < calls && !run.pastDeadline(); call++) {
                boolean audio = call % 2 == 1;
                long start = System.nanoTime();
                m.timeRun(SET_MEDIA, () -> publisher.setMedia(audio, true));
                // Under the gateway's per-connection rate limit, which would refuse the next call otherwise.
                java.util.concurrent.locks.LockSupport.parkNanos(start + PACE.toNanos() - System.nanoTime());
                run.progress().step();
            }
            run.target().kafkaBootstrap().ifPresent(kafka -> {
                run.progress().phase("reading where the time went from Kafka", 0);
                RoundTripLegs.measure(kafka, roomId, "\"setMedia\"", m);
            });
            LatencySummary setMedia = m.latency(SET_MEDIA).summary();
            m.target(TargetCheck.atMost("setMedia round trip p50 ≤ 3 ms on an idle system", setMedia.p50(), 3, "ms"));
            m.target(TargetCheck.atMost("setMedia round trip p99 ≤ 10 ms on an idle system", setMedia.p99(), 10, "ms"));
        } finally {
            for (SimulatedClient member : members) {
                if (member.participantId() != null && member.isOpen()) {
                    member.leave();
                }
                member.close();
            }
        }
    }
}
