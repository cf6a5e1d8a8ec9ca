package dev.switchboard.contracts.messaging;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.StreamKind;

import java.time.Instant;

/**
 * A client request on its way to the room that owns it, on {@code room-commands} keyed by room id.
 * {@code commandId} makes handling idempotent; {@code gatewayId} and {@code connectionId} say where the
 * reply goes. {@code participantId} is absent for {@link Join}, {@link Resume} and the operator's commands
 * ({@link CloseRoom}, {@link RemoveParticipant}), which room-service's admin API sends. {@code command} is null
 * when it is of a type this build does not know (a newer gateway's); {@code format} is the version of the format
 * the sender wrote.
 */
public record RoomCommand(
        String commandId,
        String roomId,
        String gatewayId,
        String connectionId,
        String participantId,
        Instant sentAt,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        Command command,
        FormatVersion format) {

    public RoomCommand {
        format = FormatVersion.requireReadable(format, "command " + commandId + " for room " + roomId);
    }

    /** A command in the format this build writes. */
    public RoomCommand(String commandId, String roomId, String gatewayId, String connectionId, String participantId,
                       Instant sentAt, Command command) {
        this(commandId, roomId, gatewayId, connectionId, participantId, sentAt, command, FormatVersion.CURRENT);
    }

    @JsonSubTypes({
            @JsonSubTypes.Type(value = Join.class, name = "join"),
            @JsonSubTypes.Type(value = Publish.class, name = "publish"),
            @JsonSubTypes.Type(value = Unpublish.class, name = "unpublish"),
            @JsonSubTypes.Type(value = Subscribe.class, name = "subscribe"),
            @JsonSubTypes.Type(value = Unsubscribe.class, name = "unsubscribe"),
            @JsonSubTypes.Type(value = AddIceCandidate.class, name = "addIceCandidate"),
            @JsonSubTypes.Type(value = SetMedia.class, name = "setMedia"),
            @JsonSubTypes.Type(value = Leave.class, name = "leave"),
            @JsonSubTypes.Type(value = Resume.class, name = "resume"),
            @JsonSubTypes.Type(value = ConnectionLost.class, name = "connectionLost"),
            @JsonSubTypes.Type(value = CloseRoom.class, name = "closeRoom"),
            @JsonSubTypes.Type(value = RemoveParticipant.class, name = "removeParticipant")
    })
    public sealed interface Command {
    }

    /** Join as the user the gateway authenticated. */
    public record Join(String userId, String name, JsonNode metadata) implements Command {
    }

    public record Publish(String sdpOffer, StreamKind kind) implements Command {
    }

    public record Unpublish(String streamId) implements Command {
    }

    public record Subscribe(String streamId, String sdpOffer) implements Command {
    }

    public record Unsubscribe(String streamId) implements Command {
    }

    public record AddIceCandidate(String streamId, IceCandidate candidate) implements Command {
    }

    public record SetMedia(String streamId, boolean audio, boolean video) implements Command {
    }

    public record Leave() implements Command {
    }

    /** Take the participant of {@code resumeToken} over on this connection. */
    public record Resume(String resumeToken) implements Command {
    }

    /** The participant's socket went away without leaving; the grace window starts. */
    public record ConnectionLost() implements Command {
    }

    /** An operator closes the room: everyone is told and removed, the call ends with {@code reason}. */
    public record CloseRoom(String reason) implements Command {
    }

    /** An operator removes one participant, which is told why. */
    public record RemoveParticipant(String participantId, String reason) implements Command {
    }
}
