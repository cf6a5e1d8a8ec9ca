package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.metrics.LatencySummary;
import dev.switchboard.loadgen.metrics.SetupRate;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Participants arrive at a steady rate into rooms of {@code roomSize} and each does what a browser
 * does: join, publish (the real Chromium offer), wait for the server's first ICE candidate, trickle
 * its own, mute its audio, subscribe to a room mate; at most {@code maxJoining} at a time, or as they
 * arrive with {@link #OPEN_LOOP}. All stay in their calls at once for {@code hold}; every
 * {@code resumeEvery}-th (none if 0) drops its socket and resumes on a new one; then all leave. Then
 * the {@link KurentoFloor} does the same Kurento work without Switchboard at the same rate and cap,
 * and Switchboard's figures are set against it.
 */
public record JoinLatency(int participants, int roomSize, double perSecond, int maxJoining, Duration hold, int resumeEvery)
        implements Scenario {

    /** As {@code maxJoining}: no cap, arrivals keep their schedule. */
    public static final int OPEN_LOOP = Arrivals.OPEN_LOOP;
    static final String JOIN = "joinRoom → result";
    static final String PUBLISH = "publish → sdpAnswer";
    static final String CANDIDATE = "publish → first server ICE candidate";
    static final String SUBSCRIBE = "subscribe → sdpAnswer";
    static final String SETUPS = "participants set up per second";
    /** The conditions the latency targets are set at. */
    static final int TARGET_PARTICIPANTS = 1000;
    static final double TARGET_RATE = 50;
    /** A run offered fewer arrivals than this cannot show the setup throughput target, so is not set against it. */
    static final double TARGET_SETUPS_PER_SECOND = 100;
    /** Every part after the ramp (hold, resume, leave) must still run when the ramp used its share. */
    private static final double RAMP_SHARE = 0.5;
    private static final double LEAVES_PER_SECOND = 100;
    private static final Duration WIND_DOWN = Duration.ofSeconds(90);

    public boolean openLoop() {
        return maxJoining == OPEN_LOOP;
    }

    @Override
    public String id() {
        return "join-" + participants + "-at-" + rate(perSecond) + (openLoop() ? "-open" : "");
    }

    @Override
    public String title() {
        return "call setup, " + participants + " participants arriving at " + rate(perSecond) + "/s in rooms of " + roomSize
                + (openLoop() ? ", open loop" : ", at most " + maxJoining + " setting up at once");
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        m.parameter("participants", participants).parameter("roomSize", roomSize).parameter("arrivalsPerSecond", perSecond)
                .parameter("maxJoining", openLoop() ? "open loop" : maxJoining).parameter("hold", hold)
                .parameter("resumeEvery", resumeEvery);
        SimulatedClient[] clients = new SimulatedClient[participants];
        run.progress().phase("joining", participants);
        SetupRate setups = new SetupRate(System.nanoTime());
        long failedSetups = participants;
        try {
            Arrivals.Arrived arrived = Arrivals.run(run, rampDeadline(run), participants, perSecond, maxJoining, i -> {
                clients[i] = new SimulatedClient(run.fleet(), "join-" + i, run.runId() + "-" + id() + "-" + i / roomSize);
                enter(clients[i], m, roomSize);
                setups.completed(System.nanoTime());
                run.progress().step();
            });
            failedSetups = participants - setups.count();
            m.figure("participants in calls at once", setups.count(), "participants");
            m.figure("participants whose setup failed or never started", failedSetups, "participants");
            m.figure(SETUPS, setups.perSecond(), "participants/s");
            if (openLoop()) {
                // Capped, arrivals wait for the cap by design; open loop, a late start is the harness falling behind.
                m.figure("arrivals started behind schedule, at most", arrived.mostBehind().toMillis(), "ms");
            }
            run.progress().phase("holding " + hold.toSeconds() + " s", 0);
            sleep(hold);
            int resumes = resumeEvery > 0 ? participants / resumeEvery : 0;
            run.progress().phase("resuming", resumes);
            long windDown = System.nanoTime() + WIND_DOWN.toNanos();
            Arrivals.run(run, windDown, resumes, LEAVES_PER_SECOND, maxJoining, i -> {
                SimulatedClient client = clients[i * resumeEvery];
                if (client != null && client.participantId() != null) {
                    m.timeRun("resume (new socket)", client::reconnect);
                    run.progress().step();
                }
            });
            run.progress().phase("leaving", participants);
            Arrivals.run(run, windDown, participants, LEAVES_PER_SECOND, maxJoining, i -> {
                if (clients[i] != null && clients[i].participantId() != null) {
                    m.timeRun("leaveRoom → result", () -> clients[i].leave());
                }
                run.progress().step();
            });
        } finally {
            Arrays.stream(clients).filter(Objects::nonNull).forEach(SimulatedClient::close);
        }
        boolean floorRan = floor(run);
        targets(m, failedSetups, floorRan);
    }

    /**
     * One participant's call setup, as a browser does it: connect, join, publish, its first server
     * candidate (timed from the moment publish was sent), one local candidate, mute, and a
     * subscription to a room mate once the room status shows one.
     */
    static void enter(SimulatedClient client, Measurements m, int roomSize) {
        m.time("connect (WebSocket)", client::connect);
        m.time(JOIN, client::join);
        long publishSent = System.nanoTime();
        String stream = m.time(PUBLISH, client::publish);
        m.timeUntil(CANDIDATE, publishSent, () -> client.awaitCandidate(stream));
        m.timeRun("addIceCandidate → result", () -> client.addIceCandidate(stream));
        m.timeRun("setMedia (mute) → result", () -> client.setMedia(false, true));
        if (roomSize > 1) {
            client.awaitStatus(status -> client.otherStream().isPresent(), SimulatedClient.TIMEOUT);
            m.timeRun(SUBSCRIBE, () -> client.subscribe(client.otherStream().orElseThrow()));
        }
    }

    /** Runs the floor beside this run, unless the target's Kurento is unknown; answers whether it ran. */
    private boolean floor(Run run) {
        Measurements m = run.measurements();
        String kms;
        try {
            kms = run.target().requireKms("the Kurento floor");
        } catch (Target.Skipped skipped) {
            m.note(skipped.getMessage());
            return false;
        }
        run.progress().phase("floor (Kurento client)", participants);
        new KurentoFloor(kms, participants, roomSize, perSecond, maxJoining).run(run);
        return true;
    }

    /**
     * The targets whose conditions this run meets: setup throughput when at least the target's rate
     * was offered, latencies at the target's size and rate, against the floor that ran beside it.
     */
    void targets(Measurements m, long failedSetups, boolean floorRan) {
        if (perSecond >= TARGET_SETUPS_PER_SECOND) {
            double rate = m.figureValue(SETUPS).orElse(0);
            String floor = floorRan ? " (floor " + TargetCheck.format(m.figureValue(KurentoFloor.SETUPS).orElse(0)) + "/s)" : "";
            m.target(new TargetCheck("setup throughput ≥ 100 participants/s on one room-service, 0 failures",
                    TargetCheck.format(rate) + " participants/s, " + failedSetups + " setups failed" + floor,
                    rate >= TARGET_SETUPS_PER_SECOND && failedSetups == 0));
        }
        if (!floorRan || participants != TARGET_PARTICIPANTS || perSecond != TARGET_RATE) {
            return;
        }
        LatencySummary publish = m.latency(PUBLISH).summary();
        LatencySummary processOffer = m.latency(KurentoFloor.PROCESS_OFFER).summary();
        LatencySummary subscribe = m.latency(SUBSCRIBE).summary();
        LatencySummary floorSubscribe = m.latency(KurentoFloor.SUBSCRIBE).summary();
        m.target(TargetCheck.atMost("publish → sdpAnswer p50 ≤ floor processOffer p50 + 5 ms", publish.p50(),
                processOffer.p50() + 5, "ms"));
        m.target(TargetCheck.atMost("publish → sdpAnswer p99 ≤ 2 × floor processOffer p99", publish.p99(),
                2 * processOffer.p99(), "ms"));
        m.target(TargetCheck.atMost("subscribe → sdpAnswer p99 ≤ 2 × floor subscribe same work p99", subscribe.p99(),
                2 * floorSubscribe.p99(), "ms"));
        m.target(TargetCheck.atMost("joinRoom → result p99 ≤ 50 ms", m.latency(JOIN).summary().p99(), 50, "ms"));
    }

    /** The ramp, then the floor's ramp, each get a share of the time left. */
    static long rampDeadline(Run run) {
        return System.nanoTime() + (long) (run.timeLeft().toNanos() * RAMP_SHARE);
    }

    static String rate(double perSecond) {
        return TargetCheck.format(perSecond);
    }

    static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
