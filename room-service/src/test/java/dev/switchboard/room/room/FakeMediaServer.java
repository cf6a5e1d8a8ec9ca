package dev.switchboard.room.room;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.room.kurento.MediaEvent;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServerException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A media server in memory, recording every call, for testing room logic without Kurento. */
final class FakeMediaServer implements MediaServer {

    final Map<String, ObjectTags> live = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, Consumer<MediaEvent>> listeners = new java.util.concurrent.ConcurrentHashMap<>();
    /** Operations that fail the next time they are called, as a media server that refuses. */
    final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger counter = new java.util.concurrent.atomic.AtomicInteger();

    volatile boolean available = true;
    private final String id;

    FakeMediaServer() {
        this("fake-kms");
    }

    FakeMediaServer(String id) {
        this.id = id;
    }

    /** The rooms' view of this one server. */
    dev.switchboard.room.kurento.MediaServers alone() {
        return new dev.switchboard.room.kurento.MediaServers(List.of(this));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void connect() {
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public int endpointsHeld() {
        synchronized (live) {
            return (int) live.keySet().stream().filter(key -> key.contains("/")).count();
        }
    }

    @Override
    public int pipelinesHeld() {
        synchronized (live) {
            return (int) live.keySet().stream().filter(key -> !key.contains("/")).count();
        }
    }

    @Override
    public String createPipeline(ObjectTags tags) {
        failIfAsked("createPipeline");
        return add("pipeline-" + counter.incrementAndGet(), tags);
    }

    @Override
    public CompletableFuture<String> createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events) {
        try {
            failIfAsked("createEndpoint");
        } catch (MediaServerException e) {
            return CompletableFuture.failedFuture(e);
        }
        String endpointId = add(pipelineId + "/endpoint-" + counter.incrementAndGet(), tags);
        calls.add("createEndpoint " + endpointId);
        listeners.put(endpointId, events);
        return CompletableFuture.completedFuture(endpointId);
    }

    @Override
    public void tagServed(String objectId, ObjectTags tags) {
        live.computeIfPresent(objectId, (key, old) -> new ObjectTags(old.roomId(), tags.participantId(), tags.streamId()));
    }

    @Override
    public void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events) {
        if (!live.containsKey(endpointId)) {
            throw new MediaServerException("Object '" + endpointId + "' not found", MediaServerException.Kind.NOT_FOUND, null);
        }
        listeners.put(endpointId, events);
    }

    @Override
    public List<String> pipelinesOf(String roomId) {
        synchronized (live) {
            return live.entrySet().stream()
                    .filter(e -> !e.getKey().contains("/") && roomId.equals(e.getValue().roomId()))
                    .map(Map.Entry::getKey).toList();
        }
    }

    @Override
    public List<String> children(String pipelineId) {
        synchronized (live) {
            if (!live.containsKey(pipelineId)) {
                throw new MediaServerException("Object '" + pipelineId + "' not found", MediaServerException.Kind.NOT_FOUND, null);
            }
            return live.keySet().stream().filter(id -> id.startsWith(pipelineId + "/")).toList();
        }
    }

    @Override
    public String publish(String endpointId, String sdpOffer) {
        String answer = processOffer(endpointId, sdpOffer);
        calls.add("gatherCandidates " + endpointId);
        return answer;
    }

    @Override
    public String subscribe(String sourceEndpointId, String endpointId, String sdpOffer) {
        calls.add("connect " + sourceEndpointId + " -> " + endpointId);
        return publish(endpointId, sdpOffer);
    }

    private String processOffer(String endpointId, String sdpOffer) {
        failIfAsked("processOffer");
        calls.add("processOffer " + endpointId);
        if (sdpOffer.contains("unparseable")) {
            throw new MediaServerException("media server refused processOffer: Invalid SDP", MediaServerException.Kind.BAD_INPUT, null);
        }
        return "v=0\r\ns=answer to " + endpointId + "\r\n";
    }

    @Override
    public void addIceCandidate(String endpointId, IceCandidate candidate) {
        calls.add("addIceCandidate " + endpointId + " " + candidate.candidate());
    }

    @Override
    public void release(String objectId, ObjectTags tags) {
        synchronized (live) {
            live.keySet().removeIf(id -> id.equals(objectId) || id.startsWith(objectId + "/"));
        }
        calls.add("release " + objectId);
    }

    /** As a restarted media server: every object is gone. */
    void forgetEverything() {
        live.clear();
    }

    private void failIfAsked(String operation) {
        if (!available) {
            throw new MediaServerException("media server unreachable for " + operation, MediaServerException.Kind.UNREACHABLE, null);
        }
        if (failing.remove(operation)) {
            throw new MediaServerException("media server refused " + operation, MediaServerException.Kind.FAILED, null);
        }
    }

    private String add(String id, ObjectTags tags) {
        live.put(id, tags);
        return id;
    }
}
