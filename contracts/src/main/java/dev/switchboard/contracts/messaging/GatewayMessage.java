package dev.switchboard.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;

/**
 * Room-service to one client connection, on {@code room-replies} keyed by gateway id. {@code body}, a reply's
 * result and a push's notification are null when of a kind this build does not know (a newer room-service's);
 * {@code format} is the version of the format the sender wrote.
 */
public record GatewayMessage(
        String gatewayId,
        String connectionId,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "kind")
        Body body,
        FormatVersion format) {

    public GatewayMessage {
        format = FormatVersion.requireReadable(format, "message for connection " + connectionId + " of gateway " + gatewayId);
    }

    /** A message in the format this build writes. */
    public GatewayMessage(String gatewayId, String connectionId, Body body) {
        this(gatewayId, connectionId, body, FormatVersion.CURRENT);
    }

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
