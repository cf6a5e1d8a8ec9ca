package dev.switchboard.room.rest;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.room.messaging.AdminCommands;
import dev.switchboard.room.messaging.RoomDirectory;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;

import java.util.List;
import java.util.Map;

/** Operators' view of the live rooms of the whole cluster, and their two interventions. Admin tokens only. */
@Path("/admin/rooms")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TokenClaims.ADMIN)
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityRequirement(name = "jwt")
public class AdminResource {

    private final RoomDirectory directory;
    private final AdminCommands commands;

    public AdminResource(RoomDirectory directory, AdminCommands commands) {
        this.directory = directory;
        this.commands = commands;
    }

    @GET
    @Operation(summary = "Every live room, with its participants and streams")
    public List<RoomStatus> rooms() {
        return directory.rooms();
    }

    @GET
    @Path("/{roomId}")
    @Operation(summary = "One live room")
    public Response room(@PathParam("roomId") String roomId) {
        return directory.room(roomId).map(status -> Response.ok(status).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no live room " + roomId));
    }

    @DELETE
    @Path("/{roomId}")
    @Blocking
    @Operation(summary = "Close a room: its participants are told and removed, the call ends as closedByAdmin")
    public Response close(@PathParam("roomId") String roomId) {
        return answer(commands.send(roomId, new RoomCommand.CloseRoom(EndReason.CLOSED_BY_ADMIN)));
    }

    @DELETE
    @Path("/{roomId}/participants/{participantId}")
    @Blocking
    @Operation(summary = "Remove a participant, which is told the reason; it leaves as evicted")
    public Response removeParticipant(@PathParam("roomId") String roomId,
                                      @PathParam("participantId") String participantId,
                                      @QueryParam("reason") @DefaultValue("removedByOperator") String reason) {
        return answer(commands.send(roomId, new RoomCommand.RemoveParticipant(participantId, reason)));
    }

    private static Response answer(GatewayMessage.Body answer) {
        return switch (answer) {
            case GatewayMessage.Reply reply -> Response.noContent().build();
            case GatewayMessage.Failure failure when failure.code() == ErrorCode.NOT_FOUND.code() ->
                    error(Response.Status.NOT_FOUND, failure.message());
            case GatewayMessage.Failure failure -> error(Response.Status.SERVICE_UNAVAILABLE, failure.message());
            case GatewayMessage.Push push -> throw new IllegalStateException("a room answered with a notification");
        };
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
