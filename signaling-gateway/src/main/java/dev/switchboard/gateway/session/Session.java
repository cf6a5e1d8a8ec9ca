package dev.switchboard.gateway.session;

import dev.switchboard.contracts.protocol.RoomStatus;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One client connection's state. Everything about it happens on the connection's own event-loop context
 * (see {@link #execute}), which makes its state single-threaded and its outbound frames one ordered stream.
 */
final class Session {

    private static final Logger LOG = Logger.getLogger(Session.class);

    private final WebSocketConnection connection;
    private final Context context;
    private final RateLimiter rateLimiter;
    private final int outboundLimit;
    private final GatewayMetrics metrics;
    private final Map<String, Pending> pending = new HashMap<>();
    private Presence presence = Presence.IDLE;
    /** The newest status the client has, from its join result or a roomStatus notification. */
    private RoomStatus shown;
    /** The newest status that came while joining, sent once the join result is out. */
    private RoomStatus held;
    private int unwritten;
    private long lastHeard;
    private boolean closed;

    Session(WebSocketConnection connection, Context context, RateLimiter rateLimiter, int outboundLimit,
            GatewayMetrics metrics, long now) {
        this.connection = connection;
        this.context = context;
        this.rateLimiter = rateLimiter;
        this.outboundLimit = outboundLimit;
        this.metrics = metrics;
        this.lastHeard = now;
    }

    String id() {
        return connection.id();
    }

    /** Runs {@code task} on this connection's context, after everything queued there before. */
    void execute(Runnable task) {
        context.runOnContext(ignored -> task.run());
    }

    /**
     * Queues a frame to the client, unless the socket is closing. False when the client has left too many
     * frames unread: it is too slow to keep up, and buffering more for it would only grow the gateway.
     */
    boolean send(String frame) {
        if (closed) {
            return true;
        }
        if (unwritten >= outboundLimit) {
            return false;
        }
        unwritten++;
        metrics.sent();
        connection.sendText(frame).subscribe().with(written -> unwritten--, failed -> unwritten--);
        return true;
    }

    int unwritten() {
        return unwritten;
    }

    /** Starts the close handshake; the socket counts as closed from now on. */
    void close(Disconnect why, String reason) {
        closed = true;
        connection.close(new CloseReason(why.code(), reason)).subscribe().with(
                done -> LOG.debugf("closed connection %s: %s", id(), reason),
                failed -> LOG.debugf("closing connection %s failed: %s", id(), failed.getMessage()));
    }

    boolean tryAcquire(long now) {
        return rateLimiter.tryAcquire(now);
    }

    void heard(long now) {
        lastHeard = now;
    }

    long lastHeard() {
        return lastHeard;
    }

    Map<String, Pending> pending() {
        return pending;
    }

    Presence presence() {
        return presence;
    }

    void presence(Presence next) {
        presence = next;
        if (next instanceof Presence.Idle) {
            shown = null;
            held = null;
        }
    }

    /** Joined with the room as it was at that moment. */
    void joined(String roomId, String participantId, RoomStatus room) {
        presence = new Presence.Joined(roomId, participantId);
        shown = room;
    }

    /** The status to send now, if this one is news to the client; held back while still joining. */
    Optional<RoomStatus> offer(RoomStatus status) {
        return switch (presence) {
            case Presence.Joining joining -> {
                if (joining.roomId().equals(status.roomId()) && newer(status, held)) {
                    held = status;
                }
                yield Optional.empty();
            }
            case Presence.Joined joined -> show(joined.roomId(), status);
            case Presence.Leaving leaving -> show(leaving.roomId(), status);
            case Presence.Idle idle -> Optional.empty();
        };
    }

    /** The status that came while joining, if the join result did not already show it. */
    Optional<RoomStatus> takeHeld() {
        RoomStatus status = held;
        held = null;
        return status == null ? Optional.empty() : show(status.roomId(), status);
    }

    boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    private Optional<RoomStatus> show(String roomId, RoomStatus status) {
        if (!roomId.equals(status.roomId()) || !newer(status, shown)) {
            return Optional.empty();
        }
        shown = status;
        return Optional.of(status);
    }

    /** Versions count within one call; a new call of the same room starts over. */
    private static boolean newer(RoomStatus candidate, RoomStatus than) {
        return than == null || !Objects.equals(candidate.callId(), than.callId()) || candidate.version() > than.version();
    }
}
