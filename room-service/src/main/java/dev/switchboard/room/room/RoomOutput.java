package dev.switchboard.room.room;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.RoomStatus;

import java.util.List;

/**
 * Where a room's results go. Each call returns once all of it is durably written, or throws; but for
 * {@link #relay}, which does not wait.
 */
public interface RoomOutput {

    /** Backs the room up; {@code state} null erases it (the room closed). */
    void backup(String roomId, RoomState state);

    /** Publishes what a change produced: call events, the room's status, messages for single connections. */
    void publish(String roomId, List<RoomEvent> events, StatusUpdate status, List<GatewayMessage> messages);

    /** Messages for single connections, nothing else. */
    default void deliver(String roomId, List<GatewayMessage> messages) {
        publish(roomId, List.of(), new StatusUpdate.Unchanged(), messages);
    }

    /**
     * What the media server tells a participant (ICE candidates, media state), sent in order without waiting
     * for it to be written: a room must not spend a Kafka round trip per candidate. A failure is logged with
     * the room it concerns.
     */
    void relay(String roomId, GatewayMessage message);

    /** What becomes of the room's published status. */
    sealed interface StatusUpdate {
        record Unchanged() implements StatusUpdate {
        }

        record Current(RoomStatus status) implements StatusUpdate {
        }

        /** The room closed: its status is erased. */
        record Gone() implements StatusUpdate {
        }
    }
}
