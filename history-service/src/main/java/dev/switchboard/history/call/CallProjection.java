package dev.switchboard.history.call;

import dev.switchboard.contracts.events.EventData.CallEnded;
import dev.switchboard.contracts.events.EventData.CallStarted;
import dev.switchboard.contracts.events.EventData.MediaServerLost;
import dev.switchboard.contracts.events.EventData.MediaServerRecovered;
import dev.switchboard.contracts.events.EventData.ParticipantDisconnected;
import dev.switchboard.contracts.events.EventData.ParticipantJoined;
import dev.switchboard.contracts.events.EventData.ParticipantLeft;
import dev.switchboard.contracts.events.EventData.ParticipantReconnected;
import dev.switchboard.contracts.events.EventData.StreamMediaChanged;
import dev.switchboard.contracts.events.EventData.StreamPublished;
import dev.switchboard.contracts.events.EventData.StreamSubscribed;
import dev.switchboard.contracts.events.EventData.StreamUnpublished;
import dev.switchboard.contracts.events.EventData.StreamUnsubscribed;
import dev.switchboard.contracts.events.RoomEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How room events become call history: the one place where a {@link Call} changes. Applying a call's
 * events in sequence order always gives the same history, whichever order they arrived in, because a
 * late event makes the service replay the call's whole timeline through here. What cannot be applied
 * as it came is applied as far as it makes sense and recorded as a {@link CallAnomaly}.
 */
public final class CallProjection {

    /** The order in which a call's events are applied; the id only settles the tie of a duplicated sequence. */
    public static final Comparator<RoomEvent> SEQUENCE_ORDER =
            Comparator.comparingLong(RoomEvent::sequence).thenComparing(RoomEvent::id);

    private CallProjection() {
    }

    /** A new call, as far as its first event tells. */
    public static Call start(RoomEvent first) {
        Call call = new Call(first.callid(), first.roomId());
        reset(call, first);
        return call;
    }

    /** Forgets everything applied so far, before the call's timeline is applied again from {@code first}. */
    public static void reset(Call call, RoomEvent first) {
        call.participants.clear();
        call.streams.clear();
        call.anomalies.clear();
        call.roomId = first.roomId();
        call.state = CallState.ACTIVE;
        call.startedAt = stored(first.time());
        call.endedAt = null;
        call.durationSeconds = null;
        call.endReason = null;
        call.peakParticipants = 0;
        call.lastSequence = 0;
    }

    public static void apply(Call call, RoomEvent event) {
        boolean first = call.lastSequence == 0;
        checkSequence(call, event);
        call.lastSequence = Math.max(call.lastSequence, event.sequence());
        if (first && !(event.data() instanceof CallStarted)) {
            anomaly(call, event, AnomalyKind.MISSING_CALL_STARTED,
                    "the call's first event is " + event.type() + "; it starts the call");
        }
        if (call.state == CallState.ENDED) {
            anomaly(call, event, AnomalyKind.AFTER_CALL_ENDED, event.type() + " after call.ended; not applied");
            return;
        }
        Instant at = stored(event.time());
        switch (event.data()) {
            case CallStarted started -> {
                if (first) {
                    call.startedAt = stored(Objects.requireNonNullElse(started.startedAt(), at));
                } else {
                    anomaly(call, event, AnomalyKind.REPEATED_CALL_STARTED, "the call had started already");
                }
            }
            case CallEnded ended -> end(call, stored(Objects.requireNonNullElse(ended.endedAt(), at)), ended.reason());
            case ParticipantJoined joined -> join(call, event, joined, at);
            case ParticipantDisconnected disconnected ->
                    present(call, event, disconnected.participantId()).ifPresent(p -> p.connected = false);
            case ParticipantReconnected reconnected ->
                    present(call, event, reconnected.participantId()).ifPresent(p -> {
                        p.connected = true;
                        p.reconnections++;
                    });
            case ParticipantLeft left ->
                    present(call, event, left.participantId()).ifPresent(p -> leave(call, p, at, left.reason()));
            case StreamPublished published -> publish(call, event, published, at);
            case StreamUnpublished unpublished ->
                    liveStream(call, event, unpublished.streamId()).ifPresent(s -> unpublish(s, at));
            case StreamSubscribed subscribed -> subscribe(call, event, subscribed);
            case StreamUnsubscribed unsubscribed -> anyStream(call, event, unsubscribed.streamId())
                    .ifPresent(s -> s.subscribers.remove(unsubscribed.participantId()));
            case StreamMediaChanged changed -> anyStream(call, event, changed.streamId()).ifPresent(s -> {
                s.audio = changed.audio();
                s.video = changed.video();
            });
            // the media server's loss and return are part of the timeline, not of who was in the call
            case MediaServerLost lost -> {
            }
            case MediaServerRecovered recovered -> {
            }
        }
    }

    /**
     * An instant as PostgreSQL keeps it (microseconds), so that a call loaded back from the database and one
     * replayed from Kafka compute the same durations.
     */
    public static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static void checkSequence(Call call, RoomEvent event) {
        long expected = call.lastSequence + 1;
        if (event.sequence() > expected) {
            anomaly(call, event, AnomalyKind.SEQUENCE_GAP, expected == event.sequence() - 1
                    ? "event " + expected + " is missing"
                    : "events " + expected + " to " + (event.sequence() - 1) + " are missing");
        } else if (event.sequence() < expected) {
            anomaly(call, event, AnomalyKind.DUPLICATE_SEQUENCE,
                    "another event has sequence " + event.sequence() + " already");
        }
    }

    private static void join(Call call, RoomEvent event, ParticipantJoined joined, Instant at) {
        if (find(call.participants, p -> p.participantId.equals(joined.participantId())).isPresent()) {
            anomaly(call, event, AnomalyKind.REPEATED_JOIN,
                    "participant " + joined.participantId() + " joined already");
            return;
        }
        call.participants.add(new Participant(call, joined.participantId(), joined.userId(), joined.name(), at));
        int present = (int) call.participants.stream().filter(Participant::present).count();
        call.peakParticipants = Math.max(call.peakParticipants, present);
    }

    private static void leave(Call call, Participant participant, Instant at, String reason) {
        participant.leftAt = at;
        participant.leaveReason = reason;
        participant.connected = false;
        participant.durationSeconds = seconds(participant.joinedAt, at);
        for (CallStream stream : call.streams) {
            stream.subscribers.remove(participant.participantId);
            if (stream.live() && stream.participantId.equals(participant.participantId)) {
                unpublish(stream, at);
            }
        }
    }

    private static void end(Call call, Instant at, String reason) {
        call.participants.stream().filter(Participant::present).toList()
                .forEach(p -> leave(call, p, at, reason));
        call.state = CallState.ENDED;
        call.endedAt = at;
        call.endReason = reason;
        call.durationSeconds = seconds(call.startedAt, at);
    }

    private static void publish(Call call, RoomEvent event, StreamPublished published, Instant at) {
        if (present(call, event, published.participantId()).isEmpty()) {
            return;
        }
        if (find(call.streams, s -> s.streamId.equals(published.streamId())).isPresent()) {
            anomaly(call, event, AnomalyKind.REPEATED_PUBLISH,
                    "stream " + published.streamId() + " was published already");
            return;
        }
        String kind = published.kind() == null ? null : published.kind().wireName();
        call.streams.add(new CallStream(call, published.streamId(), published.participantId(), kind, at));
    }

    private static void unpublish(CallStream stream, Instant at) {
        stream.unpublishedAt = at;
        stream.subscribers.clear();
    }

    private static void subscribe(Call call, RoomEvent event, StreamSubscribed subscribed) {
        if (present(call, event, subscribed.participantId()).isEmpty()) {
            return;
        }
        liveStream(call, event, subscribed.streamId()).ifPresent(s -> {
            if (!s.subscribers.contains(subscribed.participantId())) {
                s.subscribers.add(subscribed.participantId());
                s.peakSubscribers = Math.max(s.peakSubscribers, s.subscribers.size());
            }
        });
    }

    private static Optional<Participant> present(Call call, RoomEvent event, String participantId) {
        Optional<Participant> participant = find(call.participants,
                p -> p.present() && p.participantId.equals(participantId));
        if (participant.isEmpty()) {
            anomaly(call, event, AnomalyKind.UNKNOWN_PARTICIPANT,
                    event.type() + " for participant " + participantId + ", who is not in the call");
        }
        return participant;
    }

    private static Optional<CallStream> liveStream(Call call, RoomEvent event, String streamId) {
        return stream(call, event, streamId, true);
    }

    private static Optional<CallStream> anyStream(Call call, RoomEvent event, String streamId) {
        return stream(call, event, streamId, false);
    }

    private static Optional<CallStream> stream(Call call, RoomEvent event, String streamId, boolean live) {
        Optional<CallStream> stream = find(call.streams, s -> s.streamId.equals(streamId) && (!live || s.live()));
        if (stream.isEmpty()) {
            anomaly(call, event, AnomalyKind.UNKNOWN_STREAM, event.type() + " for stream " + streamId
                    + (live ? ", which is not published" : ", which was never published"));
        }
        return stream;
    }

    private static <T> Optional<T> find(List<T> items, Predicate<T> test) {
        return items.stream().filter(test).findFirst();
    }

    private static void anomaly(Call call, RoomEvent event, AnomalyKind kind, String detail) {
        call.anomalies.add(new CallAnomaly(call, event.id(), event.sequence(), kind, detail));
    }
}
