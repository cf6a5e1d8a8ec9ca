package dev.switchboard.history.rest;

import dev.switchboard.history.call.CallCursor;
import dev.switchboard.history.call.CallFilter;
import dev.switchboard.history.call.CallState;
import dev.switchboard.history.call.InvalidRequestException;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Instant;
import java.util.Locale;

/** The query parameters of call listings. */
public class CallListParams {

    @QueryParam("roomId")
    @Parameter(description = "Only calls of this room")
    String roomId;

    @QueryParam("from")
    @Parameter(description = "Only calls that started at or after this ISO-8601 instant",
            example = "2026-11-23T00:00:00Z")
    String from;

    @QueryParam("to")
    @Parameter(description = "Only calls that started before this ISO-8601 instant",
            example = "2026-11-24T00:00:00Z")
    String to;

    @QueryParam("state")
    @Parameter(description = "active or ended", schema = @Schema(enumeration = {"active", "ended"}))
    String state;

    @QueryParam("limit")
    @Parameter(description = "Page size, 1 to 500", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "50"))
    String limit;

    @QueryParam("cursor")
    @Parameter(description = "nextCursor of the previous page")
    String cursor;

    CallFilter toFilter(String userId) {
        Instant fromInstant = Params.instant("from", from);
        Instant toInstant = Params.instant("to", to);
        Params.requireOrder(fromInstant, toInstant);
        String after = Params.blankToNull(cursor);
        return new CallFilter(Params.blankToNull(roomId), userId, fromInstant, toInstant, state(), Params.limit(limit),
                after == null ? null : CallCursor.decode(after));
    }

    private CallState state() {
        String value = Params.blankToNull(state);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "active" -> CallState.ACTIVE;
            case "ended" -> CallState.ENDED;
            default -> throw new InvalidRequestException("state must be active or ended, not '" + state + "'");
        };
    }
}
