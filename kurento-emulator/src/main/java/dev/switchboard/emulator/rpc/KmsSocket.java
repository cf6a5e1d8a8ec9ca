package dev.switchboard.emulator.rpc;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One client WebSocket, with the frames held back while the server plays dead. */
final class KmsSocket {

    private static final AtomicLong NUMBERS = new AtomicLong();

    private final long number = NUMBERS.incrementAndGet();
    private final ServerWebSocket webSocket;
    private final HttpConnection connection;
    private final List<String> heldIncoming = new ArrayList<>();
    private final List<String> heldOutgoing = new ArrayList<>();
    private boolean open = true;

    KmsSocket(ServerWebSocket webSocket, HttpConnection connection) {
        this.webSocket = webSocket;
        this.connection = connection;
    }

    long number() {
        return number;
    }

    boolean isOpen() {
        return open;
    }

    void write(String text) {
        if (open) {
            webSocket.writeTextMessage(text);
        }
    }

    void holdIncoming(String text) {
        heldIncoming.add(text);
    }

    void holdOutgoing(String text) {
        heldOutgoing.add(text);
    }

    List<String> takeHeldIncoming() {
        List<String> frames = List.copyOf(heldIncoming);
        heldIncoming.clear();
        return frames;
    }

    void flushHeldOutgoing() {
        heldOutgoing.forEach(this::write);
        heldOutgoing.clear();
    }

    /**
     * Cuts the TCP connection without a close frame, as KMS does on a frame it cannot parse and as a
     * crash or a network failure does: the client sees an abnormal closure (1006). Vert.x turns any
     * close that passes its handler into a polite closing handshake, so the close starts below it.
     */
    void drop() {
        open = false;
        ((ConnectionBase) connection).channel().pipeline().firstContext().close();
    }

    void close(short code, String reason) {
        open = false;
        webSocket.close(code, reason);
    }

    void closed() {
        open = false;
    }
}
