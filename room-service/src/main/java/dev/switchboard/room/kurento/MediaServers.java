package dev.switchboard.room.kurento;

import dev.switchboard.room.kurento.MediaServerException.Kind;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The media servers rooms may be placed on, in their configured order. */
public final class MediaServers {

    private final List<MediaServer> servers;

    public MediaServers(List<MediaServer> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one media server is needed");
        }
        this.servers = List.copyOf(servers);
    }

    public List<MediaServer> all() {
        return servers;
    }

    /**
     * The server a room is placed on. A room backed up before it had a placement is on the first; a server
     * no longer configured is empty, as a server lost for good.
     */
    public Optional<MediaServer> get(String id) {
        return id == null ? Optional.of(servers.getFirst())
                : servers.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * Where a new pipeline goes: the reachable server with the fewest endpoints held, then the fewest pipelines
     * (rooms just placed have no endpoints yet), then the first.
     */
    public MediaServer place() {
        return servers.stream().filter(MediaServer::available)
                .min(Comparator.comparingInt(MediaServer::endpointsHeld).thenComparingInt(MediaServer::pipelinesHeld))
                .orElseThrow(() -> new MediaServerException("no media server is reachable", Kind.UNREACHABLE, null));
    }
}
