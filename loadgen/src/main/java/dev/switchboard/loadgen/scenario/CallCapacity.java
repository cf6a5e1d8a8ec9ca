package dev.switchboard.loadgen.scenario;

import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import dev.switchboard.loadgen.target.MemoryProbe;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Participants in calls at once on one room-service and one Kurento emulator, and what each costs
 * them: {@code participants} in rooms of {@code roomSize}, each set up as in {@link JoinLatency}
 * (joined, published, subscribed to one room mate), and the live heap and RSS of room-service and of
 * the emulator before and after, divided by the participants in their calls. Each participant is one
 * socket in the harness and one in the gateway, so the count is capped by the open-file limit.
 */
public record CallCapacity(int participants, int roomSize, double perSecond, int maxJoining) implements Scenario {

    static final int TARGET_PARTICIPANTS = 10_000;
    private static final double LEAVES_PER_SECOND = 200;
    private static final int LEAVING_AT_ONCE = 64;
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Override
    public String id() {
        return "capacity-participants";
    }

    @Override
    public String title() {
        return "participants in calls at once on one room-service, and their memory";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        Target.Local local = run.target().requireLocal("measuring room-service's and the emulator's memory");
        ServiceProcess roomService = local.stack().service(SwitchboardStack.ROOM_SERVICE);
        int count = Math.min(participants, ConnectionCapacity.openFileLimit() - ConnectionCapacity.RESERVED_FILES);
        if (count < participants) {
            m.note("asked for " + participants + " participants; the open-file limit (ulimit -n "
                    + ConnectionCapacity.openFileLimit() + ") allows " + count + " here");
        }
        m.parameter("participants", count).parameter("roomSize", roomSize).parameter("arrivalsPerSecond", perSecond)
                .parameter("maxJoining", maxJoining);
        awaitEmptyRoomsClosed(run, local);
        run.progress().phase("measuring before", 0);
        MemoryProbe.Sample roomServiceBefore = MemoryProbe.measure(roomService);
        MemoryProbe.Sample emulatorBefore = MemoryProbe.measureJvm(local.emulator().pid());
        SimulatedClient[] clients = new SimulatedClient[count];
        run.progress().phase("setting up calls", count);
        try {
            Arrivals.run(run, JoinLatency.rampDeadline(run), count, perSecond, maxJoining, i -> {
                clients[i] = new SimulatedClient(run.fleet(), "cap-" + i, run.runId() + "-calls-" + i / roomSize);
                JoinLatency.enter(clients[i], m, roomSize);
                run.progress().step();
            });
            long inCalls = Arrays.stream(clients).filter(Objects::nonNull)
                    .filter(client -> client.participantId() != null && client.isOpen() && client.lost() == null).count();
            run.progress().phase("measuring after", 0);
            MemoryProbe.Sample roomServiceAfter = MemoryProbe.measure(roomService);
            MemoryProbe.Sample emulatorAfter = MemoryProbe.measureJvm(local.emulator().pid());
            m.figure("participants in calls at once", inCalls, "participants");
            MemoryFigures.report(m, "room-service", roomServiceBefore, roomServiceAfter, inCalls, "participant");
            MemoryFigures.report(m, "Kurento emulator", emulatorBefore, emulatorAfter, inCalls, "participant");
            m.target(TargetCheck.atLeast("10,000 participants in calls at once on one room-service and one emulator",
                    inCalls, TARGET_PARTICIPANTS, "participants"));
        } finally {
            leaveAll(run, clients);
        }
    }

    /** Rooms the scenarios before left empty still hold memory until their timeout; not this one's. */
    static void awaitEmptyRoomsClosed(Run run, Target.Local local) {
        run.progress().phase("waiting for empty rooms to close", 0);
        JoinLatency.sleep(local.emptyRoomTimeout().plus(SETTLE));
    }

    /** Every client that joined leaves, the others just close; bounded by the time their number takes. */
    static void leaveAll(Run run, SimulatedClient[] clients) {
        run.progress().phase("leaving", clients.length);
        Duration leaving = Duration.ofSeconds(60 + (long) (clients.length / LEAVES_PER_SECOND));
        Arrivals.run(run, System.nanoTime() + leaving.toNanos(), clients.length, LEAVES_PER_SECOND, LEAVING_AT_ONCE, i -> {
            if (clients[i] != null) {
                try {
                    if (clients[i].participantId() != null && clients[i].isOpen()) {
                        run.measurements().timeRun("leaveRoom → result", clients[i]::leave);
                    }
                } finally {
                    clients[i].close();
                }
            }
            run.progress().step();
        });
    }
}
