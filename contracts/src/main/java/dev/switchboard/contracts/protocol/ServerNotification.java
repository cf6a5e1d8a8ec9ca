package dev.switchboard.contracts.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/**
 * What the server pushes to a client without being asked: the record is the notification's params,
 * the JSON-RPC method is its name in {@link #METHOD_NAMES}.
 */
@JsonSubTypes({
        @JsonSubTypes.Type(value = RoomStatus.class, name = "roomStatus"),
        @JsonSubTypes.Type(value = ServerNotification.IceCandidateFound.class, name = "iceCandidate"),
        @JsonSubTypes.Type(value = ServerNotification.MediaStateChanged.class, name = "mediaState"),
        @JsonSubTypes.Type(value = ServerNotification.Renegotiate.class, name = "renegotiate"),
        @JsonSubTypes.Type(value = ServerNotification.Evicted.class, name = "evicted"),
        @JsonSubTypes.Type(value = ServerNotification.RoomClosed.class, name = "roomClosed")
})
public sealed interface ServerNotification permits RoomStatus, ServerNotification.IceCandidateFound,
        ServerNotification.MediaStateChanged, ServerNotification.Renegotiate, ServerNotification.Evicted,
        ServerNotification.RoomClosed {

    /** The JSON-RPC method this notification is sent as. */
    default String method() {
        return MethodNames.BY_TYPE.get(getClass());
    }

    /** Read once from the annotation above, so that a method name is written in one place. */
    final class MethodNames {
        private static final java.util.Map<Class<?>, String> BY_TYPE = java.util.Arrays.stream(
                        ServerNotification.class.getAnnotation(JsonSubTypes.class).value())
                .collect(java.util.stream.Collectors.toUnmodifiableMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

        private MethodNames() {
        }
    }

    record IceCandidateFound(String streamId, IceCandidate candidate) implements ServerNotification {
    }

    record MediaStateChanged(String streamId, MediaState state) implements ServerNotification {
    }

    /** The media server lost the stream: publish or subscribe again. */
    record Renegotiate(String streamId, String reason) implements ServerNotification {
    }

    record Evicted(String reason) implements ServerNotification {
    }

    record RoomClosed(String reason) implements ServerNotification {
    }
}
