package dev.switchboard.loadgen.scenario;

import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import dev.switchboard.loadgen.target.RoomOwnership;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Recovery with two room-service instances and {@code participants} in calls (rooms of
 * {@code roomSize}, everyone publishing). First kill -9 of one instance: from the kill, the first member
 * of every room sends setMedia, one after another, until one sent after the process is gone is
 * answered; a room's outage is the longest it waited for an answer (from the kill, for the first
 * request), and the recovery time is the longest outage of any room. Then, with the killed one
 * started again, a graceful stop (SIGTERM) of the other, until it has exited: the same measure is
 * the handover time. After each, a participant counts as lost if its socket
 * closed, the server evicted it or closed its room, or its room's status no longer lists it connected.
 * Before the kill and after each step, the result notes which instance owned which rooms.
 */
public record Recovery(int participants, int roomSize, double perSecond, int maxJoining) implements Scenario {

    static final String KILL = "kill -9: a room's longest wait for an answer";
    static final String HANDOVER = "graceful stop: a room's longest wait for an answer";
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Override
    public String id() {
        return "recovery";
    }

    @Override
    public String title() {
        return "room-service kill -9 and graceful handover with " + participants + " participants in calls";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        Target.Local local = run.target().requireLocal("killing and restarting room-service");
        SwitchboardStack stack = local.stack();
        int rooms = participants / roomSize;
        m.parameter("participants", rooms * roomSize).parameter("roomSize", roomSize).parameter("instances", 2);
        run.progress().phase("starting a 2nd room-service", 0);
        ServiceProcess second = secondInstance(local);
        SimulatedClient[] clients = new SimulatedClient[rooms * roomSize];
        try {
            second.awaitReady(Duration.ofMinutes(3));
            run.progress().phase("joining", clients.length);
            Arrivals.run(run, JoinLatency.rampDeadline(run), clients.length, perSecond, maxJoining, i -> {
                clients[i] = new SimulatedClient(run.fleet(), "rec-" + i, roomId(run, i / roomSize)).connect();
                m.time("joinRoom → result", clients[i]::join);
                m.time("publish → sdpAnswer", clients[i]::publish);
                run.progress().step();
            });
            // Only who is in a call before the kill counts: a setup that failed is a setup failure, not a loss.
            List<SimulatedClient> probes = new ArrayList<>();
            for (int room = 0; room < rooms; room++) {
                Arrays.stream(clients, room * roomSize, (room + 1) * roomSize)
                        .filter(c -> c != null && c.published()).findFirst()
                        .ifPresentOrElse(probes::add, () -> m.note("a room had nobody in its call before the kill"));
            }
            long inCalls = Arrays.stream(clients).filter(c -> c != null && c.published()).count();
            m.figure("participants in calls before the kill", inCalls, "participants");
            run.progress().phase("all rooms answer", rooms);
            probeRooms(run, probes, "setMedia before the kill", CompletableFuture.completedFuture(null));
            Owners owners = new Owners(run, stack, second, rooms, room -> roomId(run, room));
            owners.note("before the kill");

            run.progress().phase("kill -9 room-service", rooms);
            ServiceProcess first = stack.service(SwitchboardStack.ROOM_SERVICE);
            first.kill();
            long recovered = probeRooms(run, probes, KILL, first.onExit());
            owners.note("after the kill");
            m.figure("recovery after kill -9 (every room answers)", millis(recovered), "ms");
            long lostAfterKill = lost(clients, probes);
            m.figure("participants lost after kill -9", lostAfterKill, "participants");
            m.target(TargetCheck.below("recovery after kill -9 < 10 s", millis(recovered) / 1000.0, 10, "s"));
            m.target(new TargetCheck("0 participants lost after kill -9", String.valueOf(lostAfterKill), lostAfterKill == 0));

            run.progress().phase("restarting the killed one", 0);
            stack.restartService(SwitchboardStack.ROOM_SERVICE);
            run.progress().phase("all rooms answer", rooms);
            probeRooms(run, probes, "setMedia after the restart", CompletableFuture.completedFuture(null));
            owners.note("after the restart, before the graceful stop");

            run.progress().phase("graceful stop of the 2nd", rooms);
            Thread.ofVirtual().start(second::stop);
            long handedOver = probeRooms(run, probes, HANDOVER, second.onExit());
            owners.note("after the graceful stop");
            m.figure("graceful handover (longest wait of a request)", millis(handedOver), "ms");
            long lostAfterHandover = lost(clients, probes);
            m.figure("participants lost after graceful handover", lostAfterHandover, "participants");
            m.target(new TargetCheck("0 participants lost after graceful handover", String.valueOf(lostAfterHandover),
                    lostAfterHandover == 0));
        } finally {
            second.close();
            run.progress().phase("leaving", clients.length);
            Arrays.stream(clients).filter(Objects::nonNull).forEach(client -> {
                if (client.participantId() != null && client.isOpen()) {
                    try {
                        client.leave();
                    } catch (RuntimeException e) {
                        m.failures().record("leaveRoom", e);
                    }
                }
                client.close();
            });
        }
    }

    private static String roomId(Run run, int room) {
        return run.runId() + "-recovery-" + room;
    }

    /**
     * Which instance owned which rooms at each step, as a note of the result (so also in the table
     * printed at the end); read from the instances' logs once every room has answered, so the
     * takeover has been logged.
     */
    private record Owners(Run run, SwitchboardStack stack, ServiceProcess second, int rooms, IntFunction<String> roomName,
                          int partitions) {

        Owners(Run run, SwitchboardStack stack, ServiceProcess second, int rooms, IntFunction<String> roomName) {
            this(run, stack, second, rooms, roomName, RoomOwnership.partitions(stack.kafka().bootstrapServers()));
        }

        void note(String when) {
            Map<String, Set<Integer>> owned = new LinkedHashMap<>();
            ServiceProcess first = stack.service(SwitchboardStack.ROOM_SERVICE);
            owned.put(first.name(), RoomOwnership.owned(first));
            owned.put(second.name(), RoomOwnership.owned(second));
            run.measurements().note("owners " + when + ": " + RoomOwnership.describe(owned, rooms, roomName, partitions));
        }
    }

    /** Another room-service in the same consumer group, on the stack's Kafka and Kurento. */
    private static ServiceProcess secondInstance(Target.Local local) {
        SwitchboardStack stack = local.stack();
        return ServiceProcess.builder("room-service-2")
                .quarkusApp(local.repository().resolve(SwitchboardStack.ROOM_SERVICE))
                .env("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers())
                .env("SWITCHBOARD_JWT_SECRET", stack.jwtSecret())
                .env("KMS_URL", stack.kmsUrl())
                .logFile(stack.logDir().resolve("room-service-2.log"))
                .workingDir(local.repository())
                .start();
    }

    /**
     * Has every room's prober send setMedia, one request after another, until one sent after
     * {@code over} completed is answered: a room whose owner is gone or moving keeps its request
     * waiting until the next owner answers it. Records per room the longest a request waited (the
     * room's outage), and answers the longest of all rooms.
     */
    private static long probeRooms(Run run, List<SimulatedClient> probes, String operation, CompletableFuture<?> over) {
        Measurements m = run.measurements();
        long since = System.nanoTime();
        long[] outage = new long[probes.size()];
        boolean[] answered = new boolean[probes.size()];
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int room = 0; room < probes.size(); room++) {
                int index = room;
                threads.execute(() -> {
                    SimulatedClient probe = probes.get(index);
                    // Failed requests count towards the outage: it lasts until the room answers again.
                    long waitingSince = since;
                    for (boolean audio = false; System.nanoTime() < since + GIVE_UP.toNanos(); audio = !audio) {
                        boolean afterOver = over.isDone();
                        try {
                            probe.setMedia(audio, true);
                            outage[index] = Math.max(outage[index], System.nanoTime() - waitingSince);
                            if (afterOver) {
                                answered[index] = true;
                                m.latency(operation).recordNanos(outage[index]);
                                run.progress().step();
                                return;
                            }
                            waitingSince = System.nanoTime();
                        } catch (RuntimeException e) {
                            m.failures().record(operation, e);
                            LockSupport.parkNanos(RETRY_NANOS);
                        }
                    }
                });
            }
        }
        long unanswered = IntStream.range(0, answered.length).filter(i -> !answered[i]).count();
        if (unanswered > 0) {
            m.note(operation + ": " + unanswered + " rooms did not answer within " + GIVE_UP.toSeconds() + " s");
            return GIVE_UP.toNanos();
        }
        return Arrays.stream(outage).max().orElse(0);
    }

    /**
     * Participants in a call before the kill that are no longer in it: socket closed, evicted or room closed,
     * or missing (or not connected) in the status their room's prober received after its answered setMedia.
     */
    private static long lost(SimulatedClient[] clients, List<SimulatedClient> probes) {
        return Arrays.stream(clients).filter(c -> c != null && c.published()).filter(client -> {
            SimulatedClient probe = probes.stream().filter(p -> p.roomId().equals(client.roomId())).findFirst().orElseThrow();
            boolean present = client.isOpen() && client.lost() == null && probe.status() != null
                    && probe.status().participants().stream().anyMatch(p -> p.participantId().equals(client.participantId())
                    && p.connected());
            return !present;
        }).count();
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
