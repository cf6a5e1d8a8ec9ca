package dev.switchboard.contracts.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/** The result of a request that succeeded; the record is the JSON-RPC {@code result} object. */
@JsonSubTypes({
        @JsonSubTypes.Type(value = RequestResult.Joined.class, name = "joined"),
        @JsonSubTypes.Type(value = RequestResult.Published.class, name = "published"),
        @JsonSubTypes.Type(value = RequestResult.Subscribed.class, name = "subscribed"),
        @JsonSubTypes.Type(value = RequestResult.Resumed.class, name = "resumed"),
        @JsonSubTypes.Type(value = RequestResult.Done.class, name = "done")
})
public sealed interface RequestResult {

    record Joined(String participantId, String resumeToken, RoomStatus room) implements RequestResult {
    }

    record Published(String streamId, String sdpAnswer) implements RequestResult {
    }

    record Subscribed(String sdpAnswer) implements RequestResult {
    }

    record Resumed(String participantId, RoomStatus room) implements RequestResult {
    }

    /** Success with nothing to tell: answered as {@code {}}. */
    record Done() implements RequestResult {
    }
}
