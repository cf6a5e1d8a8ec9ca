package dev.switchboard.history.rest;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.history.call.CallHistoryService;
import dev.switchboard.history.call.Usage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/usage")
@RolesAllowed(TokenClaims.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage", description = "Calls and minutes, for admins")
public class UsageResource {

    private final CallHistoryService history;

    public UsageResource(CallHistoryService history) {
        this.history = history;
    }

    @GET
    @Path("/daily")
    @Operation(summary = "Calls and call minutes per UTC day")
    public Usage.Report<Usage.Day> daily(@BeanParam UsageParams params,
                                         @QueryParam("roomId") @Parameter(description = "Only this room")
                                         String roomId) {
        return history.dailyUsage(params.period(), Params.blankToNull(roomId));
    }

    @GET
    @Path("/rooms")
    @Operation(summary = "Calls and call minutes per room, most minutes first")
    public Usage.Report<Usage.Room> rooms(@BeanParam UsageParams params) {
        return history.roomUsage(params.period(), params.limit());
    }

    @GET
    @Path("/users")
    @Operation(summary = "Calls and minutes in calls per user, most minutes first")
    public Usage.Report<Usage.User> users(@BeanParam UsageParams params) {
        return history.userUsage(params.period(), params.limit());
    }
}
