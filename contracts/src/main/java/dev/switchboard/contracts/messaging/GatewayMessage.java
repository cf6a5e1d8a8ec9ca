package dev.switchboard.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;

/** Room-service to one client connection, on {@code room-replies} keyed by gateway id. */
public record GatewayMessage(
        String gatewayId,
        String connectionId,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "kind")
        Body body) {

    @JsonSubTypes({
            @JsonSubTypes.Type(value = Reply.class, name = "reply"),
            @JsonSubTypes.Type(value = Failure.class, name = "failure"),
            @JsonSubTypes.Type(value = Push.class, name = "push")
    })
    public sealed interface Body {
    }

    /** The command succeeded. */
    public record Reply(
            String commandId,
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "resultType")
            RequestResult result) implements Body {
    }

    /** The command failed with a protocol error code and a message for the client. */
    public record Failure(String commandId, int code, String message) implements Body {
    }

    /** A notification for this connection only. */
    public record Push(
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "method")
            ServerNotification notification) implements Body {
    }
}
