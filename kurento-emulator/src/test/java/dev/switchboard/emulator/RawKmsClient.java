package dev.switchboard.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A bare JSON-RPC client over a WebSocket, for what the Kurento client hides: envelopes, ids,
 * sessions, malformed frames, abrupt closures. Every message received waits in an inbox until a test
 * takes it.
 */
final class RawKmsClient implements AutoCloseable {

    /** How a closed socket ended: a close code, or 1006 when the connection was cut without one. */
    static final int ABNORMAL_CLOSURE = 1006;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final WebSocket socket;
    private final List<JsonNode> inbox = new ArrayList<>();
    /** Each client counts from its own base: KMS answers a reused (session, id) pair from its request cache. */
    private final AtomicInteger ids = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000, 1_000_000) * 1_000);
    private Integer closeCode;

    private RawKmsClient(String url) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), new Listener())
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    static RawKmsClient connect(String url) {
        return new RawKmsClient(url);
    }

    void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    void send(JsonNode message) {
        sendRaw(Json.write(message));
    }

    /** Sends a request with the next id and waits for its reply. */
    JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode request = Json.object().put("id", id).put("jsonrpc", "2.0").put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        send(request);
        return reply(Json.valueOf(id));
    }

    /** The first reply carrying this id. */
    JsonNode reply(JsonNode id) {
        return take(message -> !message.has("method") && message.path("id").equals(id), WAIT);
    }

    /** The first event of this type. */
    JsonNode event(String type) {
        return take(message -> "onEvent".equals(message.path("method").asText())
                && type.equals(message.path("params").path("value").path("type").asText()), WAIT);
    }

    synchronized JsonNode take(Predicate<JsonNode> wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
                JsonNode message = it.next();
                if (wanted.test(message)) {
                    it.remove();
                    return message;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Nothing expected arrived within " + wait + "; inbox: " + inbox
                        + (closeCode == null ? "" : ", closed " + closeCode));
            }
            waitFor(left);
        }
    }

    synchronized List<JsonNode> pending() {
        return List.copyOf(inbox);
    }

    /** Waits for the socket to close and says how. */
    synchronized int awaitClose() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (closeCode == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Socket still open after " + WAIT);
            }
            waitFor(left);
        }
        return closeCode;
    }

    synchronized boolean isClosed() {
        return closeCode != null;
    }

    @Override
    public void close() {
        if (!isClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(error -> null).join();
        }
        socket.abort();
    }

    private void waitFor(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private synchronized void received(String text) {
        try {
            inbox.add(Json.parse(text));
        } catch (JsonProcessingException e) {
            throw new AssertionError("The server sent something that is not JSON: " + text, e);
        }
        notifyAll();
    }

    private synchronized void closedWith(int code) {
        if (closeCode == null) {
            closeCode = code;
        }
        notifyAll();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closedWith(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closedWith(ABNORMAL_CLOSURE);
        }
    }
}
