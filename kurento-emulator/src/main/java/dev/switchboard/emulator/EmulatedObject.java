package dev.switchboard.emulator;

import java.util.List;
import java.util.Map;

/**
 * A live object of the emulated server, as {@code GET /admin/objects} lists it.
 *
 * @param type     the Kurento class, such as {@code WebRtcEndpoint}
 * @param sessions the sessions holding a reference to it; when the last lets go, it is released
 * @param parent   the pipeline of an element, null for a pipeline
 * @param sinks    the elements it is connected to as a source (for any media type), each once; empty for a pipeline
 */
public record EmulatedObject(String id, String type, Map<String, String> tags, List<String> sessions, String parent,
        List<String> sinks) {

    public EmulatedObject {
        tags = Map.copyOf(tags);
        sessions = List.copyOf(sessions);
        sinks = List.copyOf(sinks);
    }
}
