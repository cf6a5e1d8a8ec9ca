package dev.switchboard.loadgen.scenario;

import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.target.MemoryProbe;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Active rooms one room-service holds, and what each costs it: one participant per room (its actor,
 * state, backup and Kurento pipeline and endpoint), live heap and resident memory before and after,
 * divided by the rooms that are up.
 */
public record RoomCapacity(int rooms, double perSecond, int maxJoining) implements Scenario {

    private static final double LEAVES_PER_SECOND = 100;
    private static final Duration LEAVING = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Override
    public String id() {
        return "capacity-rooms";
    }

    @Override
    public String title() {
        return "active rooms one room-service holds, and their memory";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        Target.Local local = run.target().requireLocal("measuring the room-service's memory");
        ServiceProcess roomService = local.stack().service(SwitchboardStack.ROOM_SERVICE);
        m.parameter("rooms", rooms).parameter("joinsPerSecond", perSecond).parameter("maxJoining", maxJoining);
        run.progress().phase("waiting for empty rooms to close", 0);
        // Rooms the scenarios before left empty still hold memory until their timeout; not this one's.
        JoinLatency.sleep(local.emptyRoomTimeout().plus(SETTLE));
        run.progress().phase("measuring before", 0);
        MemoryProbe.Sample before = MemoryProbe.measure(roomService);
        SimulatedClient[] clients = new SimulatedClient[rooms];
        run.progress().phase("opening rooms", rooms);
        try {
            Arrivals.run(run, JoinLatency.rampDeadline(run), rooms, perSecond, maxJoining, i -> {
                clients[i] = new SimulatedClient(run.fleet(), "owner-" + i, run.runId() + "-capacity-" + i).connect();
                m.time("joinRoom → result (new room)", clients[i]::join);
                run.progress().step();
            });
            long up = Arrays.stream(clients).filter(Objects::nonNull).filter(c -> c.participantId() != null).count();
            run.progress().phase("measuring after", 0);
            MemoryProbe.Sample after = MemoryProbe.measure(roomService);
            m.figure("active rooms", up, "rooms");
            m.figure("room-service heap before", ConnectionCapacity.mib(before.heap()), "MiB");
            m.figure("room-service heap with the rooms", ConnectionCapacity.mib(after.heap()), "MiB");
            m.figure("room-service RSS before", ConnectionCapacity.mib(before.rss()), "MiB");
            m.figure("room-service RSS with the rooms", ConnectionCapacity.mib(after.rss()), "MiB");
            if (up > 0) {
                ConnectionCapacity.perUnit(m, "heap per room", before.heap(), after.heap(), up);
                ConnectionCapacity.perUnit(m, "RSS per room", before.rss(), after.rss(), up);
            }
        } finally {
            run.progress().phase("leaving", rooms);
            Arrivals.run(run, System.nanoTime() + LEAVING.toNanos(), rooms, LEAVES_PER_SECOND, maxJoining, i -> {
                if (clients[i] != null) {
                    if (clients[i].participantId() != null) {
                        clients[i].leave();
                    }
                    clients[i].close();
                }
                run.progress().step();
            });
        }
    }
}
