package dev.switchboard.room.room;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.RoomStatus;

import java.util.List;

/** Where a room's results go. Each call returns once all of it is durably written, or throws. */
public interface RoomOutput {

    /** Backs the room up; {@code state} null erases it (the room closed). */
    void backup(String roomId, RoomState state);

    /**
     * Publishes what a change produced: call events, the new status ({@code null}: the room is gone), and
     * messages for single connections.
     */
    void publish(String roomId, List<RoomEvent> events, RoomStatus status, boolean statusChanged,
                 List<GatewayMessage> messages);
}
