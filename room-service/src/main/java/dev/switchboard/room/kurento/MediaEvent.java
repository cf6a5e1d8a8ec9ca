package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.MediaState;

/** What the media server tells of an endpoint, on its way to the room that owns the endpoint. */
public sealed interface MediaEvent {

    String endpointId();

    record CandidateFound(String endpointId, IceCandidate candidate) implements MediaEvent {
    }

    record StateChanged(String endpointId, MediaState state) implements MediaEvent {
    }
}
