package dev.switchboard.room.room;

import dev.switchboard.contracts.protocol.IceCandidate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ICE candidates that arrived before the endpoint they are for, kept in arrival order until it exists.
 * Bounded, so that a client trickling for streams it never subscribes to cannot grow the room.
 */
final class CandidateBuffer {

    static final int MAX_PER_STREAM = 64;
    static final int MAX_STREAMS = 256;

    private final Map<String, List<IceCandidate>> byParticipantAndStream = new HashMap<>();

    void add(String participantId, String streamId, IceCandidate candidate) {
        String key = key(participantId, streamId);
        if (!byParticipantAndStream.containsKey(key) && byParticipantAndStream.size() >= MAX_STREAMS) {
            return;
        }
        List<IceCandidate> candidates = byParticipantAndStream.computeIfAbsent(key, k -> new ArrayList<>());
        if (candidates.size() < MAX_PER_STREAM) {
            candidates.add(candidate);
        }
    }

    List<IceCandidate> take(String participantId, String streamId) {
        List<IceCandidate> candidates = byParticipantAndStream.remove(key(participantId, streamId));
        return candidates == null ? List.of() : candidates;
    }

    void clear() {
        byParticipantAndStream.clear();
    }

    void forget(String participantId) {
        byParticipantAndStream.keySet().removeIf(key -> key.startsWith(participantId + "\n"));
    }

    private static String key(String participantId, String streamId) {
        return participantId + "\n" + streamId;
    }
}
