package dev.switchboard.history;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Writes the events of one call as room-service would: one sequence from 1, times moving forward. */
public final class CallScript {

    public final String roomId;
    public final String callId = "call-" + UUID.randomUUID();
    private long sequence;
    private Instant time;

    public CallScript(String roomId, Instant startedAt) {
        this.roomId = roomId;
        this.time = startedAt;
    }

    public RoomEvent started() {
        return after(Duration.ZERO, new EventData.CallStarted(roomId, time));
    }

    public RoomEvent after(Duration elapsed, EventData data) {
        time = time.plus(elapsed);
        return RoomEvent.of(roomId, callId, ++sequence, time, data);
    }

    public RoomEvent afterSeconds(long seconds, EventData data) {
        return after(Duration.ofSeconds(seconds), data);
    }

    public Instant time() {
        return time;
    }
}
