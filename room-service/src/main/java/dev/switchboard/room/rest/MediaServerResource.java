package dev.switchboard.room.rest;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.room.kurento.MediaServers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/** Operators' view of the media servers as this instance sees them. Admin tokens only. */
@Path("/admin/media-servers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(TokenClaims.ADMIN)
@SecurityRequirement(name = "jwt")
public class MediaServerResource {

    /** One media server: where it is, whether this instance reaches it, and the endpoints it holds there. */
    public record MediaServerView(String url, boolean available, int endpointsHeld) {
    }

    private final MediaServers servers;

    public MediaServerResource(MediaServers servers) {
        this.servers = servers;
    }

    @GET
    @Operation(summary = "Every configured media server, as this instance sees it")
    public List<MediaServerView> mediaServers() {
        return servers.all().stream()
                .map(s -> new MediaServerView(s.id(), s.available(), s.endpointsHeld()))
                .toList();
    }
}
