package dev.switchboard.contracts.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A minimal client of the Switchboard signaling protocol over the JDK's WebSocket: JSON-RPC requests
 * matched to their responses by id, notifications kept in arrival order. For tests, load generators
 * and as a reference for client authors.
 */
public final class SignalingClient implements AutoCloseable {

    /** A server-pushed notification. */
    public record Notification(String method, JsonNode params) {
    }

    /** An error response: the JSON-RPC {@code error} object. */
    public static final class RpcException extends RuntimeException {
        private final int code;

        public RpcException(int code, String message) {
            super(code + ": " + message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final java.util.LinkedList<Notification> notifications = new java.util.LinkedList<>();
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private SignalingClient(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    public static SignalingClient connect(URI uri) {
        return connect(HttpClient.newHttpClient(), uri);
    }

    /** Connects with a shared HTTP client, so that thousands of connections share its threads. */
    public static SignalingClient connect(HttpClient http, URI uri) {
        return new SignalingClient(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)), uri);
    }

    /** Sends a request; the future completes with its {@code result} or fails with {@link RpcException}. */
    public CompletableFuture<JsonNode> request(String method, Object params) {
        long id = ids.incrementAndGet();
        ObjectNode frame = Json.mapper().createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        if (params != null) {
            frame.set("params", Json.mapper().valueToTree(params));
        }
        CompletableFuture<JsonNode> response = new CompletableFuture<>();
        pending.put(id, response);
        sendRaw(frame.toString());
        return response;
    }

    /** Sends a request and waits for its result. */
    public JsonNode call(String method, Object params, Duration timeout) {
        try {
            return request(method, params).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " got no response within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends any text frame as it is, valid or not. */
    public synchronized void sendRaw(String frame) {
        // The JDK WebSocket allows one outstanding send; waiting keeps frames in order.
        socket.sendText(frame, true).join();
    }

    /**
     * Waits for the first notification that matches and takes it; the others stay, in order, for later
     * calls, so that waiting for one kind never loses another.
     */
    public Notification awaitNotification(Predicate<Notification> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (notifications) {
            while (true) {
                for (var it = notifications.iterator(); it.hasNext(); ) {
                    Notification next = it.next();
                    if (matching.test(next)) {
                        it.remove();
                        return next;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no matching notification within " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(notifications, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public Notification awaitNotification(String method, Duration timeout) {
        return awaitNotification(n -> n.method().equals(method), timeout);
    }

    /** Every frame received, in order, as raw text (responses and notifications alike). */
    public LinkedBlockingQueue<String> frames() {
        return frames;
    }

    /** Completes with the close code when the server closes the socket (1006 when it just drops). */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        if (isOpen()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    /** Drops the connection without a close handshake, as a lost network does. */
    public void abort() {
        socket.abort();
        closed.complete(1006);
    }

    private void onFrame(String text) {
        frames.add(text);
        JsonNode frame;
        try {
            frame = Json.mapper().readTree(text);
        } catch (Exception e) {
            return;
        }
        JsonNode id = frame.get("id");
        if (id == null || id.isNull()) {
            if (frame.has("method")) {
                synchronized (notifications) {
                    notifications.add(new Notification(frame.get("method").asText(), frame.get("params")));
                    notifications.notifyAll();
                }
            }
            return;
        }
        CompletableFuture<JsonNode> response = pending.remove(id.asLong());
        if (response == null) {
            return;
        }
        JsonNode error = frame.get("error");
        if (error != null) {
            response.completeExceptionally(new RpcException(error.path("code").asInt(), error.path("message").asText()));
        } else {
            response.complete(frame.get("result"));
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onFrame(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            pending.values().forEach(p -> p.completeExceptionally(new IllegalStateException("socket closed: " + statusCode)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
            pending.values().forEach(p -> p.completeExceptionally(error));
        }
    }
}
