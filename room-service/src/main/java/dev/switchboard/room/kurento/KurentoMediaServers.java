package dev.switchboard.room.kurento;

import dev.switchboard.room.config.RoomServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Arrays;

/** The Kurento Media Servers of {@code switchboard.kms.url} (comma-separated), each with its own connection. */
@ApplicationScoped
public class KurentoMediaServers {

    @Produces
    @Singleton
    MediaServers mediaServers(RoomServiceConfig config, Event<MediaServerAvailability> availability) {
        return new MediaServers(Arrays.stream(config.kms().url().split(","))
                .map(String::trim)
                .filter(url -> !url.isEmpty())
                .distinct()
                .<MediaServer>map(url -> new KurentoMediaServer(url,
                        available -> availability.fire(new MediaServerAvailability(url, available))))
                .toList());
    }

    /**
     * Opens each server's session in the background once started, so that the first room to need it (a room
     * taken over from a dead instance, say) does not wait for the handshake; never holding startup up.
     */
    void connectAhead(@Observes StartupEvent event, MediaServers servers) {
        servers.all().forEach(server -> Thread.ofVirtual().name("connect-" + server.id()).start(server::connect));
    }
}
