package dev.switchboard.loadgen.scenario;

import dev.switchboard.contracts.messaging.Partitions;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Recovery with two room-service instances and {@code participants} in calls (rooms of {@code roomSize},
 * everyone publishing); the second instance is started as the stack starts its own, so it gets the same
 * settings. Once each instance owns a share of the partitions (as their logs tell) and every room answers:
 * kill -9 of the first; then, once the killed one is started again, owns its share anew and every room
 * answers, a graceful stop (SIGTERM) of the second. From each signal, the first member of every room sends
 * setMedia, one request after another, until every room has answered a request sent after the process was
 * gone. The rooms are told apart by their owner before the signal:
 * <ul>
 * <li>kill -9: for the killed instance's rooms, the time from the kill until each answered again (the slowest
 * is the recovery time, target under 3 s); for the surviving instance's rooms, the longest any of their
 * requests waited meanwhile (target at most 100 ms);
 * <li>graceful stop: the longest any request of any room waited (target at most 500 ms), the stopped
 * instance's rooms and the staying one's side by side.
 * </ul>
 * After each, a participant counts as lost if its socket closed, the server evicted it or closed its room,
 * or its room's status no longer lists it connected; and the renegotiate notifications every participant
 * received since the signal are counted. The target of both is 0. The result notes which instance owned
 * which rooms before each signal and after it.
 */
public record Recovery(int participants, int roomSize, double perSecond, int maxJoining) implements Scenario {

    static final String SECOND = "room-service-2";
    private static final String KILL = "kill -9";
    private static final String STOP = "graceful stop";
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /**
     * A room's probe sends at most four requests a second: with hundreds of rooms some request is always in
     * flight, so a stall of the surviving instance is seen, yet the probes' own load (1,000 commands a
     * second for 1,000 participants, four status notifications each) does not make the waits they measure.
     * It also keeps each connection under the gateway's rate limit.
     */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

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
        SwitchboardStack stack = run.target().requireLocal("killing and restarting room-service").stack();
        int rooms = participants / roomSize;
        m.parameter("participants", rooms * roomSize).parameter("roomSize", roomSize).parameter("instances", 2);
        run.progress().phase("starting a 2nd room-service", 0);
        ServiceProcess second = stack.startInstance(SwitchboardStack.ROOM_SERVICE, SECOND);
        SimulatedClient[] clients = new SimulatedClient[rooms * roomSize];
        try {
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
            Owners owners = new Owners(run, stack, rooms, room -> roomId(run, room));

            boolean[] onKilled = owners.roomsNotOn(SECOND, "before the kill", probes);
            allAnswer(run, probes, "setMedia before the kill");
            run.progress().phase("kill -9 room-service", probes.size());
            ServiceProcess first = stack.service(SwitchboardStack.ROOM_SERVICE);
            long renegotiated = renegotiations(clients);
            // kill() returns once the process is gone: every request is sent after it.
            Probed kill = probe(run, probes, KILL + ": setMedia", () -> {
                first.kill();
                return CompletableFuture.completedFuture(null);
            });
            owners.note("after the kill");
            long recovered = slowest(m, KILL + ", rooms of the killed instance: answered again after", kill.answeredAgain(),
                    onKilled, true);
            long survivorsWait = slowest(m, KILL + ", rooms of the surviving instance: a room's longest wait",
                    kill.longestWait(), onKilled, false);
            m.figure(KILL + ": every room of the killed instance answers again within", millis(recovered), "ms");
            m.figure(KILL + ": longest wait of a request in a room of the surviving instance", millis(survivorsWait), "ms");
            m.target(TargetCheck.below(KILL + ": every room of the killed instance answers again < 3 s",
                    millis(recovered) / 1000.0, 3, "s"));
            m.target(TargetCheck.atMost(KILL + ": rooms of the surviving instance wait ≤ 100 ms", millis(survivorsWait),
                    100, "ms"));
            losses(m, KILL, clients, probes, renegotiated);

            run.progress().phase("restarting the killed one", 0);
            stack.restartService(SwitchboardStack.ROOM_SERVICE);
            boolean[] onStopped = owners.roomsNotOn(SwitchboardStack.ROOM_SERVICE, "before the graceful stop", probes);
            allAnswer(run, probes, "setMedia after the restart");
            run.progress().phase("graceful stop of the 2nd", probes.size());
            renegotiated = renegotiations(clients);
            Probed stop = probe(run, probes, STOP + ": setMedia", () -> CompletableFuture.runAsync(second::stop));
            owners.note("after the graceful stop");
            long handedOver = Math.max(
                    slowest(m, STOP + ", rooms of the stopped instance: a room's longest wait", stop.longestWait(),
                            onStopped, true),
                    slowest(m, STOP + ", rooms of the staying instance: a room's longest wait", stop.longestWait(),
                            onStopped, false));
            m.figure(STOP + ": longest wait of a request", millis(handedOver), "ms");
            m.target(TargetCheck.atMost(STOP + ": longest wait of a request ≤ 500 ms", millis(handedOver), 500, "ms"));
            losses(m, STOP, clients, probes, renegotiated);
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
     * Which instance owns which rooms, read from the instances' logs; noted in the result (so also in the
     * table printed at the end) once every room has answered, so the takeovers have been logged.
     */
    private record Owners(Run run, SwitchboardStack stack, int rooms, IntFunction<String> roomName, int partitions) {

        Owners(Run run, SwitchboardStack stack, int rooms, IntFunction<String> roomName) {
            this(run, stack, rooms, roomName, RoomOwnership.partitions(stack.kafka().bootstrapServers()));
        }

        /**
         * Waits, up to {@link #SETTLE}, until both instances own partitions and together all of them, so that
         * the next signal finds no partition moving; notes the owners and answers, per probe, whether its room
         * is on a partition {@code instance} does not own. A room whose owner the logs do not show
         * so counts with the other instance's: the figure of {@code instance}'s rooms covers only rooms it owns.
         */
        boolean[] roomsNotOn(String instance, String when, List<SimulatedClient> probes) {
            run.progress().phase("partitions settle", 0);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Map<String, Set<Integer>> owned = owned();
            while (!settled(owned) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(POLL_NANOS);
                owned = owned();
            }
            if (!settled(owned)) {
                run.measurements().note("owners " + when + ": the partitions had not settled within " + SETTLE.toSeconds() + " s");
            }
            note(when, owned);
            Set<Integer> theirs = owned.get(instance);
            boolean[] notOn = new boolean[probes.size()];
            for (int i = 0; i < notOn.length; i++) {
                notOn[i] = !theirs.contains(Partitions.of(probes.get(i).roomId(), partitions));
            }
            return notOn;
        }

        void note(String when) {
            note(when, owned());
        }

        private void note(String when, Map<String, Set<Integer>> owned) {
            run.measurements().note("owners " + when + ": " + RoomOwnership.describe(owned, rooms, roomName, partitions));
        }

        private Map<String, Set<Integer>> owned() {
            Map<String, Set<Integer>> owned = new LinkedHashMap<>();
            for (String instance : List.of(SwitchboardStack.ROOM_SERVICE, SECOND)) {
                owned.put(instance, RoomOwnership.owned(stack.service(instance)));
            }
            return owned;
        }

        private boolean settled(Map<String, Set<Integer>> owned) {
            return owned.values().stream().noneMatch(Set::isEmpty)
                    && owned.values().stream().mapToLong(Set::size).sum() >= partitions;
        }
    }

    /**
     * What the probes measured from a signal, per room (nanoseconds): the longest any request waited for an
     * answer, and the time from the signal until a request sent after the process was gone was answered.
     */
    private record Probed(long[] longestWait, long[] answeredAgain) {
    }

    /** Every room answers a setMedia; each room's longest wait is recorded under {@code operation}. */
    private static void allAnswer(Run run, List<SimulatedClient> probes, String operation) {
        run.progress().phase("all rooms answer", probes.size());
        Probed answered = probe(run, probes, operation, () -> CompletableFuture.completedFuture(null));
        Arrays.stream(answered.longestWait()).forEach(run.measurements().latency(operation)::recordNanos);
    }

    /**
     * Sends the signal, which answers when its process is gone, and has every room's probe send setMedia,
     * one request after another, until every room has answered one sent after that. A room whose owner is
     * gone or moving keeps its request waiting until the next owner answers it; the rooms of the instance
     * that stays keep being asked meanwhile, so a wait they suffer during the takeover is seen.
     */
    private static Probed probe(Run run, List<SimulatedClient> probes, String operation,
                                Supplier<CompletableFuture<?>> signal) {
        int rooms = probes.size();
        long[] longestWait = new long[rooms];
        long[] answeredAgain = new long[rooms];
        CountDownLatch recovering = new CountDownLatch(rooms);
        long since = System.nanoTime();
        long giveUp = since + GIVE_UP.toNanos();
        CompletableFuture<?> gone = signal.get();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int room = 0; room < rooms; room++) {
                int index = room;
                threads.execute(() -> {
                    SimulatedClient probe = probes.get(index);
                    // A failed request counts towards the wait: it lasts until the room answers.
                    long waitingSince = since;
                    for (boolean audio = false; recovering.getCount() > 0 && System.nanoTime() < giveUp; audio = !audio) {
                        long sent = System.nanoTime();
                        boolean afterGone = gone.isDone();
                        try {
                            probe.setMedia(audio, true);
                            long answered = System.nanoTime();
                            longestWait[index] = Math.max(longestWait[index], answered - waitingSince);
                            waitingSince = answered;
                            if (afterGone && answeredAgain[index] == 0) {
                                answeredAgain[index] = answered - since;
                                recovering.countDown();
                                run.progress().step();
                            }
                        } catch (RuntimeException e) {
                            run.measurements().failures().record(operation, e);
                        }
                        LockSupport.parkNanos(sent + PACE_NANOS - System.nanoTime());
                    }
                });
            }
        }
        long unanswered = Arrays.stream(answeredAgain).filter(nanos -> nanos == 0).count();
        if (unanswered > 0) {
            run.measurements().note(operation + ": " + unanswered + " rooms did not answer within " + GIVE_UP.toSeconds() + " s");
            IntStream.range(0, rooms).filter(i -> answeredAgain[i] == 0).forEach(i -> {
                answeredAgain[i] = GIVE_UP.toNanos();
                longestWait[i] = Math.max(longestWait[i], GIVE_UP.toNanos());
            });
        }
        return new Probed(longestWait, answeredAgain);
    }

    /** Records the rooms for which {@code on[i] == which} under {@code operation}; answers the slowest of them. */
    private static long slowest(Measurements m, String operation, long[] nanos, boolean[] on, boolean which) {
        long[] picked = IntStream.range(0, nanos.length).filter(i -> on[i] == which).mapToLong(i -> nanos[i]).toArray();
        if (picked.length == 0) {
            m.note(operation + ": no room");
            return 0;
        }
        Arrays.stream(picked).forEach(m.latency(operation)::recordNanos);
        return Arrays.stream(picked).max().orElseThrow();
    }

    /** What a departure cost the participants: who was lost, and renegotiations asked of anyone since the signal. */
    private static void losses(Measurements m, String event, SimulatedClient[] clients, List<SimulatedClient> probes,
                               long renegotiatedBefore) {
        long lost = lost(clients, probes);
        long renegotiations = renegotiations(clients) - renegotiatedBefore;
        m.figure(event + ": participants lost", lost, "participants");
        m.figure(event + ": renegotiations", renegotiations, "notifications");
        m.target(new TargetCheck(event + ": 0 participants lost", String.valueOf(lost), lost == 0));
        m.target(new TargetCheck(event + ": 0 renegotiations", String.valueOf(renegotiations), renegotiations == 0));
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

    private static long renegotiations(SimulatedClient[] clients) {
        return Arrays.stream(clients).filter(Objects::nonNull).mapToLong(SimulatedClient::renegotiations).sum();
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
