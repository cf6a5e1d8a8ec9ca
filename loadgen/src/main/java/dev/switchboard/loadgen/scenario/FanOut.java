package dev.switchboard.loadgen.scenario;

import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;

import java.time.Duration;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * Status fan-out: one member of a room of {@code roomSize} changes the room (setMedia, which bumps the
 * status version), and every member, the changer included, times the roomStatus that carries the
 * change from the moment the request was sent. One change at a time, {@code changes} times, each
 * after every member has seen the one before.
 */
public record FanOut(int roomSize, int changes) implements Scenario {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    @Override
    public String id() {
        return "fanout-" + roomSize;
    }

    @Override
    public String title() {
        return "roomStatus fan-out in a room of " + roomSize;
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        m.parameter("roomSize", roomSize).parameter("changes", changes);
        String roomId = run.runId() + "-fanout-" + roomSize;
        SimulatedClient[] members = new SimulatedClient[roomSize];
        @SuppressWarnings("unchecked")
        NavigableMap<Long, Long>[] arrivals = new NavigableMap[roomSize];
        run.progress().phase("joining", roomSize);
        try {
            Arrivals.run(run, roomSize, 50, i -> {
                arrivals[i] = new ConcurrentSkipListMap<>();
                members[i] = new SimulatedClient(run.fleet(), "fan-" + i, roomId).connect();
                members[i].onStatus((status, nanos) -> arrivals[i].putIfAbsent(status.version(), nanos));
                m.time("joinRoom → result", members[i]::join);
                run.progress().step();
            });
            if (Arrays.stream(members).anyMatch(member -> member == null || member.participantId() == null)) {
                throw new IllegalStateException("not every member could join");
            }
            SimulatedClient changer = members[0];
            m.time("publish → sdpAnswer", changer::publish);
            awaitEveryone(members, status -> status.participants().size() == roomSize
                    && status.participants().stream().anyMatch(p -> !p.streams().isEmpty()));
            run.progress().phase("changing", changes);
            for (int change = 0; change < changes && !run.pastDeadline(); change++) {
                long settled = settle(members);
                boolean audio = change % 2 == 1;
                long sent = System.nanoTime();
                m.timeRun("setMedia → result", () -> changer.setMedia(audio, true));
                awaitEveryone(members, status -> status.version() > settled);
                long slowest = 0;
                for (NavigableMap<Long, Long> seen : arrivals) {
                    long took = seen.tailMap(settled, false).values().stream().findFirst().orElseThrow() - sent;
                    m.latency("change → roomStatus at each member").recordNanos(took);
                    slowest = Math.max(slowest, took);
                }
                m.latency("change → roomStatus at the last member").recordNanos(slowest);
                run.progress().step();
            }
            if (roomSize == 50) {
                m.target(TargetCheck.below("fan-out p99 < 15 ms in rooms of 50",
                        m.latency("change → roomStatus at each member").summary().p99(), 15, "ms"));
            }
        } finally {
            Arrays.stream(members).filter(Objects::nonNull).forEach(member -> {
                if (member.participantId() != null && member.isOpen()) {
                    member.leave();
                }
                member.close();
            });
        }
    }

    private static void awaitEveryone(SimulatedClient[] members, Predicate<RoomStatus> matching) {
        for (SimulatedClient member : members) {
            member.awaitStatus(matching, SETTLE);
        }
    }

    /** Waits until every member holds the newest version any of them has; answers it. */
    private static long settle(SimulatedClient[] members) {
        long newest = Arrays.stream(members).mapToLong(member -> member.status().version()).max().orElseThrow();
        awaitEveryone(members, status -> status.version() >= newest);
        return newest;
    }
}
