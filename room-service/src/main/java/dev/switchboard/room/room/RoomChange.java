package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EventData;

import java.time.Instant;
import java.util.Optional;

/**
 * What happened to a room: the room's own events, applied by {@link RoomState#apply}. Most are also
 * a public call event on {@code room-events}; the Kurento bookkeeping ones are not.
 */
public sealed interface RoomChange {

    /** The public call event this change is, if any. */
    default Optional<EventData> event() {
        return Optional.ofNullable(switch (this) {
            case PipelineCreated c -> null;
            case PipelineReleased c -> null;
            case EndpointWarmed c -> null;
            case WarmEndpointTaken c -> null;
            case CandidateBuffered c -> null;
            case CallStarted c -> new EventData.CallStarted(c.roomId(), c.at());
            case CallEnded c -> new EventData.CallEnded(c.reason(), c.at());
            case ParticipantJoined c -> new EventData.ParticipantJoined(c.participant().participantId(),
                    c.participant().userId(), c.participant().name());
            case ParticipantDisconnected c -> new EventData.ParticipantDisconnected(c.participantId());
            case ParticipantReconnected c -> new EventData.ParticipantReconnected(c.participantId());
            case ParticipantLeft c -> new EventData.ParticipantLeft(c.participantId(), c.reason());
            case StreamPublished c -> new EventData.StreamPublished(c.participantId(), c.stream().streamId(),
                    c.stream().kind());
            case StreamUnpublished c -> new EventData.StreamUnpublished(c.participantId(), c.streamId());
            case StreamSubscribed c -> new EventData.StreamSubscribed(c.participantId(), c.subscription().streamId());
            case StreamUnsubscribed c -> new EventData.StreamUnsubscribed(c.participantId(), c.streamId());
            case StreamMediaChanged c -> new EventData.StreamMediaChanged(c.participantId(), c.streamId(),
                    c.audio(), c.video());
            case MediaServerLost c -> new EventData.MediaServerLost(c.mediaServer());
            case MediaServerRecovered c -> new EventData.MediaServerRecovered(c.restarted(), c.mediaServer());
        });
    }

    /**
     * Whether someone outside the room counts on it, so that it is backed up before anyone hears of it. The
     * warm pool alone is the room's own bookkeeping, carried by the next backup: a new owner releases an
     * endpoint it never heard of as an orphan. A buffered candidate is not: its sender was answered that it
     * was taken, and losing it in a failover breaks that sender's ICE.
     */
    default boolean seenByParticipants() {
        return !(this instanceof EndpointWarmed || this instanceof WarmEndpointTaken);
    }

    /** Whether the room's status changes with it, so that participants see a new version. */
    default boolean changesStatus() {
        return seenByParticipants() && !(this instanceof CandidateBuffered);
    }

    record PipelineCreated(String pipelineId, String mediaServer) implements RoomChange {
    }

    /** An endpoint created ahead of need joined the room's warm pool. */
    record EndpointWarmed(String endpointId) implements RoomChange {
    }

    /** A warm endpoint left the pool: given to a stream or subscription, or found gone. */
    record WarmEndpointTaken(String endpointId) implements RoomChange {
    }

    /** An ICE candidate for an endpoint that does not exist yet (a subscription not yet negotiated) is kept. */
    record CandidateBuffered(CandidateBuffer.Early candidate) implements RoomChange {
    }

    record PipelineReleased() implements RoomChange {
    }

    record CallStarted(String roomId, String callId, Instant at) implements RoomChange {
    }

    record CallEnded(String reason, Instant at) implements RoomChange {
    }

    record ParticipantJoined(RoomState.Participant participant) implements RoomChange {
    }

    record ParticipantDisconnected(String participantId, Instant at) implements RoomChange {
    }

    record ParticipantReconnected(String participantId, String gatewayId, String connectionId) implements RoomChange {
    }

    record ParticipantLeft(String participantId, String reason) implements RoomChange {
    }

    record StreamPublished(String participantId, RoomState.PublishedStream stream) implements RoomChange {
    }

    record StreamUnpublished(String participantId, String streamId) implements RoomChange {
    }

    record StreamSubscribed(String participantId, RoomState.Subscription subscription) implements RoomChange {
    }

    record StreamUnsubscribed(String participantId, String streamId) implements RoomChange {
    }

    record StreamMediaChanged(String participantId, String streamId, boolean audio, boolean video)
            implements RoomChange {
    }

    record MediaServerLost(String mediaServer) implements RoomChange {
    }

    /**
     * The room has media again: on the same server, which kept its pipeline or not ({@code restarted}), or
     * moved to another one ({@code restarted} too, as every stream is negotiated again).
     */
    record MediaServerRecovered(boolean restarted, String mediaServer) implements RoomChange {
    }
}
