package dev.switchboard.room.room;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.room.kurento.MediaServer.ObjectTags;

import java.util.List;

/**
 * What a room decided to do about one command or timer: the changes and the state they lead to, the
 * public events they are, the answer to the command (null when none is owed), notifications for single
 * connections, the Kurento objects to release once the new state is safely backed up, and the ones it
 * created (to release instead, should the backup fail).
 */
public record Decision(
        RoomState state,
        List<RoomChange> changes,
        List<RoomEvent> events,
        GatewayMessage.Body answer,
        List<Delivery> deliveries,
        List<Release> releases,
        List<Release> created) {

    /** A notification for one client connection. */
    public record Delivery(String gatewayId, String connectionId, ServerNotification notification) {
        public GatewayMessage message() {
            return new GatewayMessage(gatewayId, connectionId, new GatewayMessage.Push(notification));
        }
    }

    /** A Kurento object that is no longer used, with what it served and the media server it is on. */
    public record Release(String objectId, ObjectTags tags, String mediaServer) {
    }

    public boolean changed() {
        return !changes.isEmpty();
    }
}
