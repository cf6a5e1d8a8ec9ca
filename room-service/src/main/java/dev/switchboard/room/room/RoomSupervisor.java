package dev.switchboard.room.room;

import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServerAvailability;
import dev.switchboard.room.kurento.MediaServers;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * Keeps one actor per room this instance owns, creates it on first use without a get-then-put race,
 * brings rooms back from their backup, and lets them go when their partition moves elsewhere.
 */
@ApplicationScoped
public class RoomSupervisor {

    private final Map<String, RoomActor> rooms = new ConcurrentHashMap<>();
    private final ExecutorService roomThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("room-timers").daemon().factory());
    private final RoomActor.Context context;

    @Inject
    public RoomSupervisor(MediaServers servers, RoomOutput output, RoomServiceConfig config) {
        this(servers, output, Clock.systemUTC(), new Settings(config.room().reconnectGrace(),
                config.room().emptyTimeout(), config.room().maxRestarts(), config.room().restartWindow(),
                config.room().warmEndpoints(), config.kms().grace()));
    }

    RoomSupervisor(MediaServers servers, RoomOutput output, Clock clock, Settings settings) {
        this.context = new RoomActor.Context(servers, output, roomThreads, timers, clock, settings, this);
    }

    /**
     * How rooms behave over time.
     *
     * @param warmEndpoints    spare endpoints each room keeps ready
     * @param mediaServerGrace how long a room waits for its lost media server before moving to another
     */
    record Settings(Duration reconnectGrace, Duration emptyTimeout, int maxRestarts, Duration restartWindow,
                    int warmEndpoints, Duration mediaServerGrace) {
    }

    /** Hands a command to its room's mailbox; {@code done} runs when the room has handled it. */
    public void dispatch(RoomCommand command, Runnable done) {
        RoomMessage message = new RoomMessage.Command(command, done);
        while (true) {
            RoomActor actor = rooms.computeIfAbsent(command.roomId(),
                    id -> new RoomActor(RoomState.empty(id), context));
            if (actor.tell(message)) {
                return;
            }
            rooms.remove(command.roomId(), actor);
        }
    }

    /** Takes a room over from its backup. */
    public void restore(RoomState state) {
        RoomActor actor = new RoomActor(state, context);
        RoomActor previous = rooms.put(state.roomId(), actor);
        if (previous != null) {
            previous.stopForHandover(Duration.ZERO);
        }
        actor.recover();
    }

    /**
     * Closes cleanly a room whose backup cannot be read: whatever Kurento holds for it is released and its
     * status erased, so its participants hear it closed rather than talk to a room that no longer knows
     * them. The backup itself stays on {@code room-state} for an operator or a newer version to read.
     */
    public void closeUnreadable(String roomId) {
        for (MediaServer server : context.servers().all()) {
            server.pipelinesOf(roomId).forEach(pipeline -> server.release(pipeline, MediaServer.ObjectTags.room(roomId)));
        }
        context.output().write(roomId, new RoomOutput.Write(new RoomOutput.Backup.Unchanged(), List.of(),
                new RoomOutput.StatusUpdate.Gone(), List.of(), RoomOutput.Write.NOTHING_HANDLED));
    }

    /**
     * Lets go of the rooms another instance now owns, leaving their media untouched; waits up to
     * {@code wait} for commands in progress to finish.
     */
    public void handOver(Predicate<String> roomIds, Duration wait) {
        for (RoomActor actor : List.copyOf(rooms.values())) {
            if (roomIds.test(actor.roomId())) {
                actor.stopForHandover(wait);
                rooms.remove(actor.roomId(), actor);
            }
        }
    }

    /** Every room hears that the media server went away or came back. */
    void onMediaServer(@Observes MediaServerAvailability availability) {
        RoomMessage message = new RoomMessage.MediaServerChanged(availability.mediaServer(), availability.available());
        rooms.values().forEach(actor -> actor.tell(message));
    }

    public int roomCount() {
        return rooms.size();
    }

    void stopped(RoomActor actor) {
        rooms.remove(actor.roomId(), actor);
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.shutdownNow();
        roomThreads.shutdown();
    }
}
