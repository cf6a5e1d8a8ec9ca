package dev.switchboard.gateway.session;

import java.util.Optional;

/** Where a connection stands with its room; only {@link Joined} may send room requests. */
sealed interface Presence {

    Presence IDLE = new Idle();

    /** The room whose statuses this connection gets (or holds, while joining). */
    default Optional<String> room() {
        return switch (this) {
            case Idle idle -> Optional.empty();
            case Joining joining -> Optional.of(joining.roomId());
            case Joined joined -> Optional.of(joined.roomId());
            case Leaving leaving -> Optional.of(leaving.roomId());
        };
    }

    record Idle() implements Presence {
    }

    /** A joinRoom or resume was sent and not answered yet. */
    record Joining(String roomId) implements Presence {
    }

    record Joined(String roomId, String participantId) implements Presence {
    }

    /** A leaveRoom was sent; until it is answered, the socket dropping needs no connectionLost. */
    record Leaving(String roomId, String participantId) implements Presence {

        Joined stay() {
            return new Joined(roomId, participantId);
        }
    }
}
