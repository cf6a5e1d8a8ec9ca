package dev.switchboard.room.kurento;

import dev.switchboard.room.config.RoomServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
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
}
