package dev.switchboard.history.call;

import java.time.Instant;

/** A call in a listing. The duration of an active call is counted up to now. */
public record CallSummary(String callId, String roomId, CallState state, Instant startedAt, Instant endedAt,
                          long durationSeconds, String endReason, int peakParticipants) {

    static CallSummary of(Call call, Instant now) {
        return new CallSummary(call.callId, call.roomId, call.state, call.startedAt, call.endedAt,
                call.durationSeconds != null ? call.durationSeconds : CallProjection.seconds(call.startedAt, now),
                call.endReason, call.peakParticipants);
    }
}
