package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.metrics.LatencySummary;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import dev.switchboard.loadgen.target.Target;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Participants arrive at a steady rate into rooms of {@code roomSize} and each does what a browser
 * does: join, publish (the real Chromium offer), wait for the server's first ICE candidate, trickle
 * its own, mute its audio, subscribe to a room mate; at most {@code maxJoining} at a time. All stay in
 * their calls at once for
 * {@code hold}; every {@code resumeEvery}-th drops its socket and resumes on a new one; then all
 * leave. Then the {@link KurentoFloor} does the same Kurento work without Switchboard, and
 * Switchboard's publish latency is given as a ratio to it.
 */
public record JoinLatency(int participants, int roomSize, double perSecond, int maxJoining, Duration hold, int resumeEvery)
        implements Scenario {

    static final String PUBLISH = "publish → sdpAnswer";
    static final String JOIN = "joinRoom → result";
    /** Every part after the ramp (hold, resume, leave) must still run when the ramp used its share. */
    private static final double RAMP_SHARE = 0.5;
    private static final double LEAVES_PER_SECOND = 100;
    private static final Duration WIND_DOWN = Duration.ofSeconds(90);

    @Override
    public String id() {
        return "join-" + participants;
    }

    @Override
    public String title() {
        return "join and publish latency, " + participants + " participants in rooms of " + roomSize;
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        m.parameter("participants", participants).parameter("roomSize", roomSize).parameter("arrivalsPerSecond", perSecond)
                .parameter("maxJoining", maxJoining).parameter("hold", hold).parameter("resumeEvery", resumeEvery);
        SimulatedClient[] clients = new SimulatedClient[participants];
        CountDownLatch inCall = new CountDownLatch(participants);
        run.progress().phase("joining", participants);
        long rampStart = System.nanoTime();
        try {
            Arrivals.run(run, rampDeadline(run), participants, perSecond, maxJoining, i -> {
                clients[i] = new SimulatedClient(run.fleet(), "join-" + i, run.runId() + "-join-" + participants + "-" + i / roomSize);
                enter(clients[i], m);
                inCall.countDown();
                run.progress().step();
            });
            long inCalls = participants - inCall.getCount();
            m.figure("participants in calls at once", inCalls, "participants");
            m.figure("participants set up per second", Math.round(inCalls / ((System.nanoTime() - rampStart) / 1e9) * 10) / 10.0,
                    "participants/s");
            run.progress().phase("holding " + hold.toSeconds() + " s", 0);
            sleep(hold);
            run.progress().phase("resuming", participants / Math.max(1, resumeEvery));
            long windDown = System.nanoTime() + WIND_DOWN.toNanos();
            Arrivals.run(run, windDown, participants / Math.max(1, resumeEvery), LEAVES_PER_SECOND, maxJoining, i -> {
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
        floor(run);
    }

    private void enter(SimulatedClient client, Measurements m) {
        m.time("connect (WebSocket)", client::connect);
        m.time(JOIN, client::join);
        String stream = m.time(PUBLISH, client::publish);
        m.timeRun("publish → first server ICE candidate", () -> client.awaitCandidate(stream));
        m.timeRun("addIceCandidate → result", () -> client.addIceCandidate(stream));
        m.timeRun("setMedia (mute) → result", () -> client.setMedia(false, true));
        if (roomSize > 1) {
            client.awaitStatus(status -> client.otherStream().isPresent(), SimulatedClient.TIMEOUT);
            m.timeRun("subscribe → sdpAnswer", () -> client.subscribe(client.otherStream().orElseThrow()));
        }
    }

    private void floor(Run run) {
        Measurements m = run.measurements();
        String kms;
        try {
            kms = run.target().requireKms("the Kurento floor");
        } catch (Target.Skipped skipped) {
            m.note(skipped.getMessage());
            return;
        }
        run.progress().phase("floor (Kurento client)", participants);
        new KurentoFloor(kms, participants, roomSize, perSecond, maxJoining).run(run);
        LatencySummary publish = m.latency(PUBLISH).summary();
        LatencySummary floor = m.latency(KurentoFloor.PUBLISH).summary();
        if (publish.count() == 0 || floor.count() == 0) {
            return;
        }
        double p50Ratio = publish.p50() / floor.p50();
        double p99Ratio = publish.p99() / floor.p99();
        m.figure("publish p50 / floor p50", Math.round(p50Ratio * 100) / 100.0, "×");
        m.figure("publish p99 / floor p99", Math.round(p99Ratio * 100) / 100.0, "×");
        if (participants == 1000) {
            m.target(TargetCheck.below("publish → sdpAnswer p99 < 25 ms at 1,000 participants", publish.p99(), 25, "ms"));
            m.target(TargetCheck.below("publish p99 < 3 × the floor's p99", p99Ratio, 3, "×"));
        }
    }

    /** The ramp, then the floor's ramp, each get a share of the time left. */
    static long rampDeadline(Run run) {
        return System.nanoTime() + (long) (run.timeLeft().toNanos() * RAMP_SHARE);
    }

    static void sleep(Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
