package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;

import java.util.function.Consumer;

/**
 * The media server as a room uses it. Calls block until the media server answered and throw
 * {@link MediaServerException} when it refused or could not be reached; rooms call them from their own
 * virtual thread, never from an event loop.
 */
public interface MediaServer {

    /** False while the media server cannot be reached: rooms then refuse media work instead of failing. */
    boolean available();

    String createPipeline(ObjectTags tags);

    /** Creates a WebRtcEndpoint whose ICE and media events go to {@code events}, starting now. */
    String createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events);

    /**
     * Takes over an endpoint created by an earlier owner of the room (another instance, or this one before
     * a restart): its events go to {@code events} from now on. No new endpoint, no renegotiation.
     */
    void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events);

    /** The ids of a pipeline's elements, to find the ones nobody uses any more. */
    java.util.List<String> children(String pipelineId);

    /** Negotiates the endpoint with the client's offer and returns the SDP answer. */
    String processOffer(String endpointId, String sdpOffer);

    /** Starts ICE gathering; candidates arrive as {@link MediaEvent.CandidateFound}. */
    void gatherCandidates(String endpointId);

    void addIceCandidate(String endpointId, IceCandidate candidate);

    /** Sends the media of {@code sourceEndpointId} to {@code sinkEndpointId}. */
    void connect(String sourceEndpointId, String sinkEndpointId);

    /** Releases an object and its children without waiting; a failure is logged with the object's tags. */
    void release(String objectId, ObjectTags tags);

    /** Which room, participant and stream a Kurento object serves, written on it as tags. */
    record ObjectTags(String roomId, String participantId, String streamId) {
        public static ObjectTags room(String roomId) {
            return new ObjectTags(roomId, null, null);
        }

        @Override
        public String toString() {
            return "room=" + roomId + (participantId == null ? "" : " participant=" + participantId)
                    + (streamId == null ? "" : " stream=" + streamId);
        }
    }
}
