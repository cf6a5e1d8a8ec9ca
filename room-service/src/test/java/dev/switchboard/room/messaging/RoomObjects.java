package dev.switchboard.room.messaging;

import dev.switchboard.devstack.testing.KurentoEmulatorTestResource;
import dev.switchboard.emulator.EmulatedObject;

import java.util.List;

/** What the emulator holds for a room, found by the tags room-service writes on every object. */
final class RoomObjects {

    private RoomObjects() {
    }

    /** Everything, warm endpoints included. */
    static List<EmulatedObject> all(String roomId) {
        return KurentoEmulatorTestResource.emulator().objects().stream()
                .filter(o -> roomId.equals(o.tags().get("room")))
                .toList();
    }

    /** The pipeline and the endpoints given to a stream or a subscription: what the participants use. */
    static List<String> inUse(String roomId) {
        return all(roomId).stream()
                .filter(o -> o.type().equals("MediaPipeline") || o.tags().containsKey("stream"))
                .map(EmulatedObject::id).sorted().toList();
    }

    /** Endpoints created ahead of need, given to nobody yet. */
    static long warm(String roomId) {
        return all(roomId).stream()
                .filter(o -> o.type().equals("WebRtcEndpoint") && !o.tags().containsKey("stream"))
                .count();
    }
}
