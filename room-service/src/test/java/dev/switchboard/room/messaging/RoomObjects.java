package dev.switchboard.room.messaging;

import dev.switchboard.emulator.EmulatedObject;
import dev.switchboard.emulator.KurentoEmulator;

import java.util.List;

/** What the emulators hold for a room, found by the tags room-service writes on every object. */
record RoomObjects(List<KurentoEmulator> emulators) {

    static RoomObjects on(KurentoEmulator... emulators) {
        return new RoomObjects(List.of(emulators));
    }

    /** Everything, warm endpoints included. */
    List<EmulatedObject> all(String roomId) {
        return emulators.stream().flatMap(e -> e.objects().stream())
                .filter(o -> roomId.equals(o.tags().get("room")))
                .toList();
    }

    /** The pipeline and the endpoints given to a stream or a subscription: what the participants use. */
    List<String> inUse(String roomId) {
        return all(roomId).stream()
                .filter(o -> o.type().equals("MediaPipeline") || o.tags().containsKey("stream"))
                .map(EmulatedObject::id).sorted().toList();
    }

    /** The endpoint serving a participant's stream, or its subscription to one. */
    EmulatedObject endpoint(String roomId, String participantId, String streamId) {
        List<EmulatedObject> serving = all(roomId).stream()
                .filter(o -> participantId.equals(o.tags().get("participant")) && streamId.equals(o.tags().get("stream")))
                .toList();
        if (serving.size() != 1) {
            throw new AssertionError("not one endpoint serves " + participantId + " with " + streamId + ": " + serving);
        }
        return serving.getFirst();
    }

    /** Endpoints created ahead of need, given to nobody yet. */
    long warm(String roomId) {
        return all(roomId).stream()
                .filter(o -> o.type().equals("WebRtcEndpoint") && !o.tags().containsKey("stream"))
                .count();
    }

    /** The emulator that holds the room's pipeline, if any does. */
    java.util.Optional<KurentoEmulator> holding(String roomId) {
        return emulators.stream().filter(e -> e.objects().stream()
                .anyMatch(o -> o.type().equals("MediaPipeline") && roomId.equals(o.tags().get("room")))).findFirst();
    }
}
