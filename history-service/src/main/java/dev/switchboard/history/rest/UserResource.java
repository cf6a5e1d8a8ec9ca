package dev.switchboard.history.rest;

import dev.switchboard.history.call.CallHistoryService;
import dev.switchboard.history.call.CallSummary;
import dev.switchboard.history.call.Page;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/users/{userId}/calls")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Calls")
public class UserResource {

    private final CallHistoryService history;
    private final Viewers viewers;

    public UserResource(CallHistoryService history, Viewers viewers) {
        this.history = history;
        this.viewers = viewers;
    }

    @GET
    @Operation(summary = "The calls a user took part in, newest first (for a non-admin: those shared with the reader)")
    public Page<CallSummary> list(@PathParam("userId") String userId, @BeanParam CallListParams params) {
        return history.list(params.toFilter(userId), viewers.current());
    }
}
