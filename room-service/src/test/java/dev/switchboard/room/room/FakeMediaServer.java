package dev.switchboard.room.room;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.room.kurento.MediaEvent;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServerException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A media server in memory, recording every call, for testing room logic without Kurento. */
final class FakeMediaServer implements MediaServer {

    final Map<String, ObjectTags> live = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final Map<String, Consumer<MediaEvent>> listeners = new LinkedHashMap<>();
    private int counter;

    @Override
    public String createPipeline(ObjectTags tags) {
        return add("pipeline-" + ++counter, tags);
    }

    @Override
    public String createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events) {
        String id = add(pipelineId + "/endpoint-" + ++counter, tags);
        listeners.put(id, events);
        return id;
    }

    @Override
    public void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events) {
        listeners.put(endpointId, events);
    }

    @Override
    public List<String> children(String pipelineId) {
        return live.keySet().stream().filter(id -> id.startsWith(pipelineId + "/")).toList();
    }

    @Override
    public String processOffer(String endpointId, String sdpOffer) {
        calls.add("processOffer " + endpointId);
        if (sdpOffer.contains("unparseable")) {
            throw new MediaServerException("media server refused processOffer: Invalid SDP", true, null);
        }
        return "v=0\r\ns=answer to " + endpointId + "\r\n";
    }

    @Override
    public void gatherCandidates(String endpointId) {
        calls.add("gatherCandidates " + endpointId);
    }

    @Override
    public void addIceCandidate(String endpointId, IceCandidate candidate) {
        calls.add("addIceCandidate " + endpointId + " " + candidate.candidate());
    }

    @Override
    public void connect(String sourceEndpointId, String sinkEndpointId) {
        calls.add("connect " + sourceEndpointId + " -> " + sinkEndpointId);
    }

    @Override
    public void release(String objectId, ObjectTags tags) {
        live.keySet().removeIf(id -> id.equals(objectId) || id.startsWith(objectId + "/"));
        calls.add("release " + objectId);
    }

    private String add(String id, ObjectTags tags) {
        live.put(id, tags);
        return id;
    }
}
