package dev.switchboard.room.room;

import dev.switchboard.contracts.protocol.IceCandidate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * ICE candidates that arrived before the endpoint they are for, in arrival order, until it exists. Part of
 * the room's state, so of its backup: a restart or a new owner between a client's first candidates and its
 * subscribe still has them. Bounded, so that a client trickling for streams it never subscribes to cannot
 * grow the room. Immutable.
 */
public record CandidateBuffer(List<Early> candidates) {

    static final int MAX_PER_STREAM = 64;
    static final int MAX_STREAMS = 256;
    /** In all: what a room backs up of them stays a small part of a Kafka record. */
    static final int MAX_CANDIDATES = 1024;
    static final CandidateBuffer EMPTY = new CandidateBuffer(List.of());

    /** A candidate of {@code participantId} for its endpoint of {@code streamId}, yet to be created. */
    public record Early(String participantId, String streamId, IceCandidate candidate) {

        boolean isFor(String participant, String stream) {
            return participantId.equals(participant) && streamId.equals(stream);
        }
    }

    public CandidateBuffer {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** Whether one more candidate for this participant's endpoint of {@code streamId} stays within the bounds. */
    boolean accepts(String participantId, String streamId) {
        if (candidates.size() >= MAX_CANDIDATES) {
            return false;
        }
        long forThisStream = candidates.stream().filter(c -> c.isFor(participantId, streamId)).count();
        if (forThisStream > 0) {
            return forThisStream < MAX_PER_STREAM;
        }
        return candidates.stream().map(c -> List.of(c.participantId(), c.streamId())).distinct().count() < MAX_STREAMS;
    }

    CandidateBuffer with(Early candidate) {
        List<Early> longer = new ArrayList<>(candidates);
        longer.add(candidate);
        return new CandidateBuffer(longer);
    }

    /** The candidates for this participant's endpoint of {@code streamId}, oldest first. */
    List<IceCandidate> of(String participantId, String streamId) {
        return candidates.stream().filter(c -> c.isFor(participantId, streamId)).map(Early::candidate).toList();
    }

    CandidateBuffer without(Predicate<Early> which) {
        return new CandidateBuffer(candidates.stream().filter(which.negate()).toList());
    }
}
