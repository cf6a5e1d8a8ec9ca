package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Replays every scenario recorded against KMS 7.3 ({@code src/test/resources/kms-traces}, described in
 * its README) and checks the emulator answers frame for frame: results, errors, events and closures.
 */
class TraceReplayTest {

    @Test
    void basicCall() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            // The trace's remote candidate was made up: KMS never got an answer from it and stayed
            // CONNECTING. The emulator cannot tell a dead candidate from a live one, so it is told.
            emulator.unreachableCandidates(true);
            TraceReplay.of(emulator, "basic-call")
                    .comparing("getChildren", TraceMatcher.Mode.UNORDERED)
                    .run();
        }
    }

    @Test
    void errors() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            TraceReplay.of(emulator, "errors")
                    .comparing("getChildren", TraceMatcher.Mode.UNORDERED)
                    .run();
        }
    }

    @Test
    void sessionLifetime() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            TraceReplay.of(emulator, "session-lifetime")
                    .comparing("getChildren", TraceMatcher.Mode.UNORDERED)
                    .run();
        }
    }

    /**
     * Three transactions through the Java client's {@code Transaction}: publish-like, subscribe-like, and
     * one whose second operation fails without undoing the first. The publish-like one gathers
     * candidates for an endpoint nobody could subscribe to yet, so no IceCandidateFound may arrive.
     */
    @Test
    void transactions() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            TraceReplay.of(emulator, "transactions")
                    .beforeEach(line -> {
                        if (line.fromClient() && line.message() != null && "release".equals(line.message().path("method").asText())) {
                            assertThat(emulator.objects()).as("the failed transaction's endpoint is still there")
                                    .extracting(EmulatedObject::type)
                                    .containsExactlyInAnyOrder("MediaPipeline", "WebRtcEndpoint", "WebRtcEndpoint", "WebRtcEndpoint");
                        }
                    })
                    .run();
        }
    }

    /**
     * Recorded with a 10 s garbage-collector period. Collection happens on collector ticks, whose phase
     * relative to the recording is only known from the outcome: the first poll to miss s1's session
     * (17.1 s) shows a tick just before, and the toucher (active at 5.1 s) going at the same tick shows
     * the previous one after 5.1 s. The replay runs the collector at those two points instead of waiting.
     */
    @Test
    void garbageCollection() {
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withGcPeriod(Duration.ofHours(1)))) {
            AtomicInteger ticks = new AtomicInteger();
            TraceReplay.of(emulator, "garbage-collection")
                    .comparing("getSessions", TraceMatcher.Mode.UNORDERED)
                    .comparing("getPipelines", TraceMatcher.Mode.UNORDERED)
                    .beforeEach(line -> {
                        if (line.fromClient() && (line.millis() >= 7_000 && ticks.get() == 0 || line.millis() >= 17_000 && ticks.get() == 1)) {
                            ticks.incrementAndGet();
                            emulator.collectGarbage();
                        }
                    })
                    .run();
        }
    }

    /**
     * Memory, CPU, creation times and the module list describe the machine (and, for the modules, what
     * the emulator can create); the session list of the recording includes sessions of the scenarios
     * recorded before it. Those are compared by shape.
     */
    @Test
    void serverInfo() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            TraceReplay.of(emulator, "server-info")
                    .comparing("getInfo", TraceMatcher.Mode.SHAPE)
                    .comparing("getSessions", TraceMatcher.Mode.SHAPE)
                    .comparing("getUsedMemory", TraceMatcher.Mode.SHAPE)
                    .comparing("getUsedCpu", TraceMatcher.Mode.SHAPE)
                    .comparing("getCreationTime", TraceMatcher.Mode.SHAPE)
                    .run();
        }
    }

    /**
     * A live Chromium peer repeats ICE states, reports a peer-reflexive pair before the trickled one, and
     * stops sending when its page is closed between requests 31 and 32. The emulator reports each state
     * once and learns of the closed page through the peer-lost fault, so events are compared as
     * milestones (every kind of event, in order); replies are compared exactly. Timings are compressed.
     */
    @Test
    void withMedia() {
        MediaTimings quick = new MediaTimings(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(1000));
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withMedia(quick))) {
            TraceReplay replay = TraceReplay.of(emulator, "with-media").events(TraceReplay.Events.MILESTONES);
            replay.beforeEach(line -> {
                if (line.fromClient() && line.message() != null && line.message().path("id").asInt() == 32) {
                    emulator.peerLost(replay.emitted(
                            "40ceda69-4237-4ef9-a49b-e34e73f15e39_kurento.MediaPipeline/47511ab8-d99d-48f4-8e94-b5544cb3a922_kurento.WebRtcEndpoint"));
                }
            }).run();
        }
    }
}
