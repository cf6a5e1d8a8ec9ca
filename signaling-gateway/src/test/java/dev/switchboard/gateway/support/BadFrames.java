package dev.switchboard.gateway.support;

import java.util.List;
import java.util.Random;

/**
 * Generates frames no request can succeed with: broken JSON, wrong envelopes, unknown methods, wrong
 * params, forged tokens, room requests without a room. Each one carries an id or cannot be parsed, so the
 * protocol answers every one with an error; none reaches a room.
 */
public final class BadFrames {

    private static final List<String> METHODS = List.of("joinRoom", "publish", "unpublish", "subscribe",
            "unsubscribe", "addIceCandidate", "setMedia", "leaveRoom", "resume", "teleport", "", "PING", "__proto__");
    private static final List<String> VALUES = List.of("null", "true", "-1", "1e999", "\"\"", "\"v=0\"", "[]", "{}",
            "\"x\"", "{\"candidate\":5}", "\"" + "a".repeat(200) + "\"", "\"\\u0000\"", "[[[]]]", "3.14");
    private static final List<String> KEYS = List.of("roomId", "token", "streamId", "sdpOffer", "audio", "video",
            "candidate", "kind", "name", "metadata", "resumeToken");

    private final Random random;
    private int count;

    public BadFrames(long seed) {
        this.random = new Random(seed);
    }

    public String next() {
        count++;
        String id = "\"fuzz-" + count + "\"";
        return switch (random.nextInt(8)) {
            case 0 -> randomText();
            case 1 -> {
                String frame = request(id);
                yield frame.substring(0, random.nextInt(frame.length() - 1));
            }
            case 2 -> "[".repeat(2000 + random.nextInt(1000));
            case 3 -> "{\"jsonrpc\":" + pick(VALUES) + ",\"id\":" + id + ",\"method\":\"publish\"}";
            case 4 -> "{\"jsonrpc\":\"2.0\",\"id\":" + pick(List.of("{}", "[]", "true")) + ",\"method\":" + pick(VALUES) + "}";
            case 5 -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"joinRoom\",\"params\":{\"roomId\":\"r\",\"token\":\""
                    + randomToken() + "\"}}";
            default -> request(id);
        };
    }

    /** How many frames were generated: each is answered. */
    public int answerable() {
        return count;
    }

    /** A request envelope with a method that cannot succeed before a join, and random params. */
    private String request(String id) {
        StringBuilder params = new StringBuilder("{");
        int fields = random.nextInt(4);
        for (int i = 0; i < fields; i++) {
            params.append(i == 0 ? "" : ",").append('"').append(pick(KEYS)).append("\":").append(pick(VALUES));
        }
        String method = pick(METHODS);
        // A resume token with a dot would name a room; keep fuzz inside the gateway.
        String paramsJson = method.equals("resume") ? "{\"resumeToken\":\"no-dot\"}" : params.append('}').toString();
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
    }

    private String randomToken() {
        return base64ish(20) + "." + base64ish(40) + "." + base64ish(43);
    }

    private String base64ish(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(64)));
        }
        return text.toString();
    }

    private String randomText() {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(200);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x20 + random.nextInt(0x5f)));
        }
        // Plain text starting with a letter is never JSON.
        return "x" + text;
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
