package dev.switchboard.room.room;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.RoomStatus;

import java.util.List;

/** Where a room's results go. */
public interface RoomOutput {

    /**
     * Writes what one change of a room produced, all of it or nothing: the backup, the call events, the status,
     * the messages for single connections, and that the command it answers was handled. Returns once it is
     * durably written, or throws; nothing of a write that throws is ever seen by anyone.
     */
    void write(String roomId, Write write);

    /**
     * What the media server tells a participant (ICE candidates, media state), sent in order without waiting
     * for it to be written: a room must not wait for Kafka per candidate. A failure is logged with the room it
     * concerns.
     */
    void relay(String roomId, GatewayMessage message);

    /**
     * One change of a room, as it must reach Kafka.
     *
     * @param handled runs once the write is certain to carry the handling of the command it answers (so that its
     *                offset is committed with it); a no-op for writes that answer no command
     */
    record Write(Backup backup, List<RoomEvent> events, StatusUpdate status, List<GatewayMessage> messages,
                 Runnable handled) {

        /** For a write that answers no command. */
        public static final Runnable NOTHING_HANDLED = () -> {
        };

        public Write {
            events = List.copyOf(events);
            messages = List.copyOf(messages);
        }

        /** Messages for single connections, nothing else. */
        static Write messages(List<GatewayMessage> messages, Runnable handled) {
            return new Write(new Backup.Unchanged(), List.of(), new StatusUpdate.Unchanged(), messages, handled);
        }
    }

    /** What becomes of the room's backup. */
    sealed interface Backup {
        record Unchanged() implements Backup {
        }

        record Current(RoomState state) implements Backup {
        }

        /** The room closed: its backup is erased. */
        record Erased() implements Backup {
        }
    }

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
