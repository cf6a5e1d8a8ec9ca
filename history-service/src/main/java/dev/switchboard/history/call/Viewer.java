package dev.switchboard.history.call;

/** Who reads the history: an admin sees every call, anyone else only the calls they took part in. */
public record Viewer(String userId, boolean admin) {
}
