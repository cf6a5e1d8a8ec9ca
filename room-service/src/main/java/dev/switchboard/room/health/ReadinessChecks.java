package dev.switchboard.room.health;

import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.room.messaging.CommandConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Ready when this instance is in the room-service group on Kafka and the media server answers. */
@ApplicationScoped
public class ReadinessChecks {

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final CommandConsumer commands;
    private final URI kms;

    public ReadinessChecks(CommandConsumer commands, RoomServiceConfig config) {
        this.commands = commands;
        this.kms = URI.create(config.kms().url());
    }

    @Produces
    @Readiness
    HealthCheck kafka() {
        return () -> HealthCheckResponse.named("kafka").status(commands.ready()).build();
    }

    /**
     * A TCP probe, not a Kurento session: opening a session against a server that accepts TCP but never
     * completes the handshake would hold this check for 25 s.
     */
    @Produces
    @Readiness
    HealthCheck mediaServer() {
        return () -> {
            int port = kms.getPort() > 0 ? kms.getPort() : 8888;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(kms.getHost(), port), CONNECT_TIMEOUT_MS);
                return HealthCheckResponse.named("media-server").withData("url", kms.toString()).up().build();
            } catch (IOException e) {
                return HealthCheckResponse.named("media-server").withData("url", kms.toString())
                        .withData("error", String.valueOf(e.getMessage())).down().build();
            }
        };
    }
}
