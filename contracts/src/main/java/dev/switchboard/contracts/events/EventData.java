package dev.switchboard.contracts.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.switchboard.contracts.protocol.StreamKind;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code data} of each room event type (contract); the annotation names the CloudEvents types. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = EventData.CallStarted.class, name = "call.started"),
        @JsonSubTypes.Type(value = EventData.CallEnded.class, name = "call.ended"),
        @JsonSubTypes.Type(value = EventData.ParticipantJoined.class, name = "participant.joined"),
        @JsonSubTypes.Type(value = EventData.ParticipantDisconnected.class, name = "participant.disconnected"),
        @JsonSubTypes.Type(value = EventData.ParticipantReconnected.class, name = "participant.reconnected"),
        @JsonSubTypes.Type(value = EventData.ParticipantLeft.class, name = "participant.left"),
        @JsonSubTypes.Type(value = EventData.StreamPublished.class, name = "stream.published"),
        @JsonSubTypes.Type(value = EventData.StreamUnpublished.class, name = "stream.unpublished"),
        @JsonSubTypes.Type(value = EventData.StreamSubscribed.class, name = "stream.subscribed"),
        @JsonSubTypes.Type(value = EventData.StreamUnsubscribed.class, name = "stream.unsubscribed"),
        @JsonSubTypes.Type(value = EventData.StreamMediaChanged.class, name = "stream.media-changed"),
        @JsonSubTypes.Type(value = EventData.MediaServerLost.class, name = "media-server.lost"),
        @JsonSubTypes.Type(value = EventData.MediaServerRecovered.class, name = "media-server.recovered")
})
public sealed interface EventData {

    static String typeOf(EventData data) {
        return Types.BY_CLASS.get(data.getClass());
    }

    record CallStarted(String roomId, Instant startedAt) implements EventData {
    }

    record CallEnded(String reason, Instant endedAt) implements EventData {
    }

    record ParticipantJoined(String participantId, String userId, String name) implements EventData {
    }

    record ParticipantDisconnected(String participantId) implements EventData {
    }

    record ParticipantReconnected(String participantId) implements EventData {
    }

    record ParticipantLeft(String participantId, String reason) implements EventData {
    }

    record StreamPublished(String participantId, String streamId, StreamKind kind) implements EventData {
    }

    record StreamUnpublished(String participantId, String streamId) implements EventData {
    }

    /** {@code participantId} receives the stream {@code streamId}. */
    record StreamSubscribed(String participantId, String streamId) implements EventData {
    }

    record StreamUnsubscribed(String participantId, String streamId) implements EventData {
    }

    record StreamMediaChanged(String participantId, String streamId, boolean audio, boolean video)
            implements EventData {
    }

    /** {@code mediaServer}: the server the room's media was on (absent in events of older services). */
    record MediaServerLost(String mediaServer) implements EventData {
    }

    /**
     * {@code restarted}: the media came back empty, on the same server or on {@code mediaServer} when the room
     * moved to another, and streams are being negotiated again.
     */
    record MediaServerRecovered(boolean restarted, String mediaServer) implements EventData {
    }

    /** Read once from the annotation above, so that a type name is written in one place. */
    final class Types {
        private static final Map<Class<?>, String> BY_CLASS = Arrays.stream(
                        EventData.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

        private Types() {
        }
    }
}
