package dev.switchboard.room.room;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A room output that keeps what it is given: the backups by room, the events and the messages. */
final class RecordingOutput implements RoomOutput {

    final Map<String, Optional<RoomState>> backups = new ConcurrentHashMap<>();
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final List<GatewayMessage> messages = new CopyOnWriteArrayList<>();
    /** The latest status written of each room, when one was. */
    final Map<String, StatusUpdate> statuses = new ConcurrentHashMap<>();

    @Override
    public void write(String roomId, Write write) {
        switch (write.backup()) {
            case Backup.Current current -> backups.put(roomId, Optional.of(current.state()));
            case Backup.Erased erased -> backups.put(roomId, Optional.empty());
            case Backup.Unchanged unchanged -> {
            }
        }
        if (!(write.status() instanceof StatusUpdate.Unchanged)) {
            statuses.put(roomId, write.status());
        }
        events.addAll(write.events());
        messages.addAll(write.messages());
        write.handled().run();
    }

    @Override
    public void relay(String roomId, GatewayMessage message) {
        messages.add(message);
    }

    List<RoomEvent> eventsOf(String roomId) {
        return events.stream().filter(e -> e.roomId().equals(roomId)).toList();
    }
}
