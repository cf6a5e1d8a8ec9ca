package dev.switchboard.gateway.ws;

import dev.switchboard.gateway.session.SignalingService;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * The client protocol's socket. Runs on the event loop: nothing here or below blocks, and a connection's
 * frames are handled one at a time, in order.
 */
@WebSocket(path = "/signaling")
public class SignalingEndpoint {

    private final SignalingService signaling;

    SignalingEndpoint(SignalingService signaling) {
        this.signaling = signaling;
    }

    @OnOpen
    @NonBlocking
    void open(WebSocketConnection connection) {
        signaling.opened(connection);
    }

    @OnTextMessage
    @NonBlocking
    void message(WebSocketConnection connection, String frame) {
        signaling.received(connection.id(), frame);
    }

    @OnPongMessage
    @NonBlocking
    void pong(WebSocketConnection connection, Buffer data) {
        signaling.heard(connection.id());
    }

    @OnClose
    @NonBlocking
    void close(WebSocketConnection connection) {
        signaling.closed(connection.id());
    }
}
