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

    @Override
    public void backup(String roomId, RoomState state) {
        backups.put(roomId, Optional.ofNullable(state));
    }

    @Override
    public void publish(String roomId, List<RoomEvent> events, StatusUpdate status, List<GatewayMessage> messages) {
        this.events.addAll(events);
        this.messages.addAll(messages);
    }

    @Override
    public void relay(String roomId, GatewayMessage message) {
        messages.add(message);
    }

    List<RoomEvent> eventsOf(String roomId) {
        return events.stream().filter(e -> e.roomId().equals(roomId)).toList();
    }
}
