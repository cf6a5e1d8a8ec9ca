package dev.switchboard.loadgen.scenario;

import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.target.MemoryProbe;
import dev.switchboard.loadgen.target.Target;

import java.util.Arrays;
import java.util.Objects;

/**
 * Active rooms one room-service holds, and what each costs it: one participant per room (its actor,
 * state, backup and Kurento pipeline and endpoint), live heap and resident memory before and after,
 * divided by the rooms that are up.
 */
public record RoomCapacity(int rooms, double perSecond, int maxJoining) implements Scenario {

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
        CallCapacity.awaitEmptyRoomsClosed(run, local);
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
            MemoryFigures.report(m, "room-service", before, after, up, "room");
        } finally {
            CallCapacity.leaveAll(run, clients);
        }
    }
}
