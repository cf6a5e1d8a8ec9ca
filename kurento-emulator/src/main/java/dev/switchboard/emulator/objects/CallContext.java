package dev.switchboard.emulator.objects;

import java.time.Duration;

/** The session a call runs in, and anything the call decides about its own reply. */
public final class CallContext {

    private final String sessionId;
    private Duration replyDelay = Duration.ZERO;

    public CallContext(String sessionId) {
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Some operations take time by their nature (getUsedCpu measures over an interval). */
    public void delayReply(Duration delay) {
        replyDelay = delay;
    }

    public Duration replyDelay() {
        return replyDelay;
    }
}
