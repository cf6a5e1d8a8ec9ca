package dev.switchboard.history.call;

import java.time.Instant;
import java.util.List;

/** A call with who was in it, what they published, and what was wrong with its events. */
public record CallDetails(String callId, String roomId, CallState state, Instant startedAt, Instant endedAt,
                          long durationSeconds, String endReason, int peakParticipants,
                          List<ParticipantView> participants, List<StreamView> streams, List<AnomalyView> anomalies) {

    public record ParticipantView(String participantId, String userId, String name, Instant joinedAt, Instant leftAt,
                                  long durationSeconds, String leaveReason, int reconnections, boolean connected) {
    }

    public record StreamView(String streamId, String participantId, String kind, Instant publishedAt,
                             Instant unpublishedAt, List<String> subscribers, int peakSubscribers, Boolean audio,
                             Boolean video) {
    }

    public record AnomalyView(long sequence, String eventId, AnomalyKind kind, String detail) {
    }

    static CallDetails of(Call call, Instant now) {
        CallSummary summary = CallSummary.of(call, now);
        return new CallDetails(call.callId, call.roomId, call.state, call.startedAt, call.endedAt,
                summary.durationSeconds(), call.endReason, call.peakParticipants,
                call.participants.stream().map(p -> new ParticipantView(p.participantId, p.userId, p.name,
                        p.joinedAt, p.leftAt,
                        p.durationSeconds != null ? p.durationSeconds : CallProjection.seconds(p.joinedAt, now),
                        p.leaveReason, p.reconnections, p.connected)).toList(),
                call.streams.stream().map(s -> new StreamView(s.streamId, s.participantId, s.kind, s.publishedAt,
                        s.unpublishedAt, List.copyOf(s.subscribers), s.peakSubscribers, s.audio, s.video)).toList(),
                call.anomalies.stream().map(a -> new AnomalyView(a.sequence, a.eventId, a.kind, a.detail)).toList());
    }
}
