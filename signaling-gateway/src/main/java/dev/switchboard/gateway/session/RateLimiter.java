package dev.switchboard.gateway.session;

/** A token bucket; used from one connection's event loop only, so it needs no locking. */
final class RateLimiter {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double perNano;
    private final int burst;
    private double tokens;
    private long updated;

    RateLimiter(int perSecond, int burst, long now) {
        this.perNano = perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.updated = now;
    }

    boolean tryAcquire(long now) {
        tokens = Math.min(burst, tokens + (now - updated) * perNano);
        updated = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
