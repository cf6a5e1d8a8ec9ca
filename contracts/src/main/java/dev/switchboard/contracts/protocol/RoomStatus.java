package dev.switchboard.contracts.protocol;

import java.time.Instant;
import java.util.List;

/** Everything a participant sees of its room; {@code version} grows by one with every change. */
public record RoomStatus(String roomId, String callId, long version, Instant startedAt,
                         List<Participant> participants) implements ServerNotification {

    public RoomStatus {
        participants = List.copyOf(participants);
    }

    public record Participant(String participantId, String userId, String name, boolean connected,
                              Instant joinedAt, List<Stream> streams) {
        public Participant {
            streams = List.copyOf(streams);
        }
    }

    public record Stream(String streamId, StreamKind kind, boolean audio, boolean video) {
    }
}
