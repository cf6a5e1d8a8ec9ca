package dev.switchboard.emulator;

import java.util.List;

/**
 * A session of the emulated server.
 *
 * @param connected whether a WebSocket is bound to it now; a disconnected session lives until collected
 * @param objects   the ids it holds a reference to
 */
public record EmulatedSession(String id, boolean connected, List<String> objects) {

    public EmulatedSession {
        objects = List.copyOf(objects);
    }
}
