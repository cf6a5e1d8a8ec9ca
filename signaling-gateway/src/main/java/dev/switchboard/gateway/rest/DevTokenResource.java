package dev.switchboard.gateway.rest;

import dev.switchboard.gateway.auth.DevTokenIssuer;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;

/** {@code GET /dev/token}: a signed JWT for local runs; 404 unless dev tokens are enabled. */
@Path("/dev/token")
public class DevTokenResource {

    private final DevTokenIssuer issuer;

    DevTokenResource(DevTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String token(@QueryParam("user") String user, @QueryParam("name") String name,
                        @QueryParam("room") List<String> rooms, @QueryParam("admin") boolean admin,
                        @QueryParam("ttl") @DefaultValue("3600") long ttlSeconds) {
        if (!issuer.enabled()) {
            throw new NotFoundException();
        }
        if (user == null || user.isBlank()) {
            throw badRequest("user is required: /dev/token?user=alice");
        }
        if (ttlSeconds <= 0) {
            throw badRequest("ttl must be a positive number of seconds");
        }
        return issuer.issue(user, name, rooms, admin, Duration.ofSeconds(ttlSeconds)).orElseThrow(NotFoundException::new);
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.TEXT_PLAIN).entity(message).build());
    }
}
