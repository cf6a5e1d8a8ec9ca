package dev.switchboard.room.room;

import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.room.kurento.MediaEvent;

import java.time.Instant;

/** What a room's mailbox holds: everything that may change a room goes through it, one at a time. */
sealed interface RoomMessage {

    /** A client command; {@code done} runs once it is handled, so its offset may be committed. */
    record Command(RoomCommand command, Runnable done) implements RoomMessage {
    }

    record Media(MediaEvent event) implements RoomMessage {
    }

    /** A media server went away ({@code available} false) or came back. */
    record MediaServerChanged(String mediaServer, boolean available) implements RoomMessage {
    }

    /** The room's media server has been away for its grace: time to move elsewhere. */
    record MediaServerGraceExpired() implements RoomMessage {
    }

    /** An endpoint created ahead of need arrived, or failed to. */
    record EndpointWarmed(WarmPool.Warming endpoint) implements RoomMessage {
    }

    /** The room was taken over from its backup: reattach its endpoints, restart its timers. */
    record Recover() implements RoomMessage {
    }

    record GraceExpired(String participantId, Instant disconnectedAt) implements RoomMessage {
    }

    /** Fires {@code emptyTimeout} after the room became empty at {@code version}. */
    record EmptyTimeout(long version) implements RoomMessage {
    }
}
