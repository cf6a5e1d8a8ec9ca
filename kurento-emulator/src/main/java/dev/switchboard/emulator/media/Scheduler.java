package dev.switchboard.emulator.media;

import java.time.Duration;

/** Time as the emulator sees it: timers instead of sleeping threads, so simulated work never blocks others. */
public interface Scheduler {

    long nowMillis();

    void after(Duration delay, Runnable task);
}
