package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * KMS's request cache: a reply is remembered for 20 s under (session, request id), and a request
 * that reuses the pair gets the remembered reply back, whatever it asks. That is what makes a
 * retried request after a reconnection safe, and why a reconnecting client must keep counting ids.
 */
final class RequestCache {

    static final long TTL_MILLIS = 20_000;

    private record Entry(ObjectNode reply, long expiresAt) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long lastSweep;

    ObjectNode lookup(JsonNode request, long now) {
        String key = requestKey(request, Json.text(request.path("params"), "sessionId"));
        Entry entry = key == null ? null : entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.expiresAt() <= now) {
            entries.remove(key);
            return null;
        }
        return entry.reply();
    }

    /** Keyed by the session the reply names, else the one the request named; the first reply stays. */
    void store(JsonNode request, ObjectNode reply, long now) {
        if (reply == null) {
            return;
        }
        String sessionId = Replies.sessionOf(reply);
        String key = requestKey(request, sessionId != null ? sessionId : Json.text(request.path("params"), "sessionId"));
        if (key == null) {
            return;
        }
        Entry existing = entries.get(key);
        if (existing == null || existing.expiresAt() <= now) {
            entries.put(key, new Entry(reply, now + TTL_MILLIS));
        }
        if (now - lastSweep > TTL_MILLIS) {
            lastSweep = now;
            entries.values().removeIf(entry -> entry.expiresAt() <= now);
        }
    }

    void clear() {
        entries.clear();
    }

    private static String requestKey(JsonNode request, String sessionId) {
        JsonNode id = request.get("id");
        if (sessionId == null || id == null || id.isNull()) {
            return null;
        }
        return sessionId + '\n' + id.asText();
    }
}
