package dev.switchboard.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the simulated media takes to do what a real KMS does with a real peer. The defaults are
 * what KMS 7.3 did with a headless Chromium on loopback ({@code kms-traces/with-media.jsonl}).
 *
 * @param gathering          from {@code gatherCandidates} until every candidate is found
 * @param iceConnection      from the first connectivity check until the pair is selected and READY
 * @param mediaStart         from ICE READY until RTP flows
 * @param mediaStateConnected from the first RTP until RTCP makes MediaState CONNECTED
 * @param flowTimeout        from the peer going silent until the flows report NOT_FLOWING
 * @param mediaStateTimeout  from the peer going silent until MediaState goes DISCONNECTED
 */
public record MediaTimings(Duration gathering, Duration iceConnection, Duration mediaStart, Duration mediaStateConnected,
        Duration flowTimeout, Duration mediaStateTimeout) {

    public MediaTimings {
        Objects.requireNonNull(gathering, "gathering");
        Objects.requireNonNull(iceConnection, "iceConnection");
        Objects.requireNonNull(mediaStart, "mediaStart");
        Objects.requireNonNull(mediaStateConnected, "mediaStateConnected");
        Objects.requireNonNull(flowTimeout, "flowTimeout");
        Objects.requireNonNull(mediaStateTimeout, "mediaStateTimeout");
    }

    /** As measured on KMS 7.3. */
    public static MediaTimings realistic() {
        return new MediaTimings(Duration.ofMillis(40), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(450),
                Duration.ofMillis(2700), Duration.ofMillis(25_500));
    }

    /** The same sequence, compressed to a few milliseconds per step, for tests that watch it end to end. */
    public static MediaTimings fast() {
        return new MediaTimings(Duration.ofMillis(2), Duration.ofMillis(2), Duration.ofMillis(2), Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(40));
    }
}
