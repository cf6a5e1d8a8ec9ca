package dev.switchboard.history.rest;

import dev.switchboard.history.call.InvalidRequestException;
import dev.switchboard.history.call.Usage;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.time.Duration;
import java.time.Instant;

/** The period of a usage report: calls started in [from, to), by default the last 30 days. */
public class UsageParams {

    static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    @QueryParam("from")
    @Parameter(description = "Calls started at or after this ISO-8601 instant; default 30 days before to")
    String from;

    @QueryParam("to")
    @Parameter(description = "Calls started before this ISO-8601 instant; default now")
    String to;

    @QueryParam("limit")
    @Parameter(description = "The most rows, 1 to 500 (rooms and users)",
            schema = @Schema(type = SchemaType.INTEGER, defaultValue = "50"))
    String limit;

    Usage.Period period() {
        Instant toInstant = Params.instant("to", to);
        Instant end = toInstant == null ? Instant.now() : toInstant;
        Instant fromInstant = Params.instant("from", from);
        Instant start = fromInstant == null ? end.minus(DEFAULT_PERIOD) : fromInstant;
        Params.requireOrder(start, end);
        if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
            throw new InvalidRequestException("from and to may be at most 366 days apart");
        }
        return new Usage.Period(start, end);
    }

    int limit() {
        return Params.limit(limit);
    }
}
