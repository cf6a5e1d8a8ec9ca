package dev.switchboard.history.rest;

import dev.switchboard.history.call.CallDetails;
import dev.switchboard.history.call.CallHistoryService;
import dev.switchboard.history.call.CallSummary;
import dev.switchboard.history.call.Page;
import dev.switchboard.history.call.TimelineEvent;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/calls")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Calls", description = "Call history: an admin sees every call, anyone else the calls they took part in")
public class CallResource {

    private final CallHistoryService history;
    private final Viewers viewers;

    public CallResource(CallHistoryService history, Viewers viewers) {
        this.history = history;
        this.viewers = viewers;
    }

    @GET
    @Operation(summary = "Calls, newest first, one page at a time")
    public Page<CallSummary> list(@BeanParam CallListParams params,
                                  @QueryParam("userId") @Parameter(description = "Only calls this user took part in")
                                  String userId) {
        return history.list(params.toFilter(Params.blankToNull(userId)), viewers.current());
    }

    @GET
    @Path("/{callId}")
    @Operation(summary = "A call with its participants, streams and anomalies")
    public CallDetails get(@PathParam("callId") String callId) {
        return history.get(callId, viewers.current());
    }

    @GET
    @Path("/{callId}/events")
    @Operation(summary = "A call's timeline: its room events in sequence order")
    public List<TimelineEvent> events(@PathParam("callId") String callId) {
        return history.timeline(callId, viewers.current());
    }
}
