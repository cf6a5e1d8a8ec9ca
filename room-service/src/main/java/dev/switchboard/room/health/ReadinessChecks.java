package dev.switchboard.room.health;

import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServers;
import dev.switchboard.room.messaging.CommandConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Ready when this instance is in the room-service group on Kafka and at least one media server answers:
 * rooms of a lost server move to the others.
 */
@ApplicationScoped
public class ReadinessChecks {

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final CommandConsumer commands;
    private final MediaServers servers;

    public ReadinessChecks(CommandConsumer commands, MediaServers servers) {
        this.commands = commands;
        this.servers = servers;
    }

    @Produces
    @Readiness
    HealthCheck kafka() {
        return () -> HealthCheckResponse.named("kafka").status(commands.ready()).build();
    }

    /**
     * A TCP probe of each server, not a Kurento session: opening a session against a server that accepts TCP
     * but never completes the handshake would hold this check for 25 s.
     */
    @Produces
    @Readiness
    HealthCheck mediaServers() {
        return () -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("media-servers");
            boolean anyUp = false;
            for (MediaServer server : servers.all()) {
                String problem = unreachable(URI.create(server.id()));
                anyUp |= problem == null;
                response.withData(server.id(), problem == null ? "up" : "down: " + problem);
            }
            return response.status(anyUp).build();
        };
    }

    /** Why the server cannot be reached, or null when it accepts connections. */
    private static String unreachable(URI kms) {
        int port = kms.getPort() > 0 ? kms.getPort() : 8888;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(kms.getHost(), port), CONNECT_TIMEOUT_MS);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
