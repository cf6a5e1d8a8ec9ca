package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One media server as a room uses it. Calls block until the media server answered and throw
 * {@link MediaServerException} when it refused or could not be reached; rooms call them from their own
 * virtual thread, never from an event loop. Calls of different rooms never wait for each other.
 */
public interface MediaServer {

    /** Which server this is, as rooms record their placement: its URL. */
    String id();

    /** Opens the session to the server now rather than on first use; a failure is left for first use to report. */
    void connect();

    /** False while the media server cannot be reached: rooms then refuse media work instead of failing. */
    boolean available();

    /** How many endpoints this instance holds there: the load by which rooms are placed. */
    int endpointsHeld();

    /** How many pipelines this instance holds there: which of two servers as loaded gets the next room. */
    int pipelinesHeld();

    String createPipeline(ObjectTags tags);

    /**
     * Creates a WebRtcEndpoint ready for negotiation: tagged, and its ICE and media events going to
     * {@code events} (subscribed before anything can make it gather). Completes with its id, or with a
     * {@link MediaServerException}.
     */
    CompletableFuture<String> createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events);

    /**
     * Adds the participant and stream of {@code tags} to an object already tagged with its room, without
     * waiting: a warm endpoint given to a participant's stream.
     */
    void tagServed(String objectId, ObjectTags tags);

    /**
     * Takes over an endpoint created by an earlier owner of the room (another instance, or this one before
     * a restart): its events go to {@code events} from now on. No new endpoint, no renegotiation.
     */
    void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events);

    /** The pipelines of the server tagged with the room, whoever made them: what a room nobody can restore left. */
    List<String> pipelinesOf(String roomId);

    /** The ids of a pipeline's elements, to find the ones nobody uses any more. */
    List<String> children(String pipelineId);

    /** Negotiates a publisher's endpoint with its offer and starts gathering: one request. Returns the answer. */
    String publish(String endpointId, String sdpOffer);

    /**
     * Connects a published stream's endpoint to a subscriber's, negotiates the subscriber's offer and starts
     * gathering: one request. Returns the answer.
     */
    String subscribe(String sourceEndpointId, String endpointId, String sdpOffer);

    void addIceCandidate(String endpointId, IceCandidate candidate);

    /**
     * Releases an object and its children without waiting; a failure is logged with the object's tags. While
     * the server is away the release waits for it.
     */
    void release(String objectId, ObjectTags tags);

    /** Waits for an endpoint being created, with its failure as it is. */
    static String await(CompletableFuture<String> endpoint) {
        try {
            return endpoint.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof MediaServerException m) {
                throw m;
            }
            throw e;
        }
    }

    /** Which room, participant and stream a Kurento object serves, written on it as tags. */
    record ObjectTags(String roomId, String participantId, String streamId) {
        public static ObjectTags room(String roomId) {
            return new ObjectTags(roomId, null, null);
        }

        /** The tags that are set, by Kurento tag key. */
        public Map<String, String> asMap() {
            Map<String, String> tags = new LinkedHashMap<>();
            if (roomId != null) {
                tags.put("room", roomId);
            }
            if (participantId != null) {
                tags.put("participant", participantId);
            }
            if (streamId != null) {
                tags.put("stream", streamId);
            }
            return tags;
        }

        @Override
        public String toString() {
            return "room=" + roomId + (participantId == null ? "" : " participant=" + participantId)
                    + (streamId == null ? "" : " stream=" + streamId);
        }
    }
}
