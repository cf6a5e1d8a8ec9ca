package dev.switchboard.room.kurento;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Each media server's reachability and the endpoints this instance holds on it, tagged by server. */
@ApplicationScoped
public class MediaServerMetrics {

    private final MediaServers servers;
    private final MeterRegistry registry;

    public MediaServerMetrics(MediaServers servers, MeterRegistry registry) {
        this.servers = servers;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        for (MediaServer server : servers.all()) {
            Gauge.builder("switchboard.media.server.available", server, s -> s.available() ? 1 : 0)
                    .tag("server", server.id()).description("1 while the media server is reachable")
                    .register(registry);
            Gauge.builder("switchboard.media.server.endpoints", server, MediaServer::endpointsHeld)
                    .tag("server", server.id()).description("WebRtcEndpoints this instance holds on the server")
                    .register(registry);
        }
    }
}
