package dev.switchboard.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ClientRequest;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.gateway.auth.TokenVerifier;
import dev.switchboard.gateway.config.GatewayIdentity;
import dev.switchboard.gateway.config.SwitchboardConfig;
import dev.switchboard.gateway.messaging.CommandPublisher;
import dev.switchboard.gateway.rpc.Inbound;
import dev.switchboard.gateway.rpc.JsonRpc;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's logic: client requests become room commands, and what rooms answer or push goes to the
 * connection it concerns. Entry points from the socket run on the connection's event loop; those from
 * Kafka hand over to it, so that each connection's state is touched by one thread only.
 */
@ApplicationScoped
public class SignalingService {

    private static final Logger LOG = Logger.getLogger(SignalingService.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Room id to the local connections that get its statuses. */
    private final Map<String, Set<Session>> watchers = new ConcurrentHashMap<>();
    private final TokenVerifier tokens;
    private final CommandPublisher commands;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final String gatewayId;
    private final SwitchboardConfig.Gateway config;

    SignalingService(TokenVerifier tokens, CommandPublisher commands, GatewayMetrics metrics, Vertx vertx,
                     GatewayIdentity gateway, SwitchboardConfig config) {
        this.tokens = tokens;
        this.commands = commands;
        this.metrics = metrics;
        this.vertx = vertx;
        this.gatewayId = gateway.id();
        this.config = config.gateway();
        metrics.trackConnections(sessions);
    }

    // ---- from the socket, on the connection's event loop

    public void opened(WebSocketConnection connection) {
        long now = System.nanoTime();
        Session session = new Session(connection, vertx.getOrCreateContext(),
                new RateLimiter(config.rateLimit().requestsPerSecond(), config.rateLimit().burst(), now),
                config.outboundQueueLimit(), metrics, now);
        sessions.put(session.id(), session);
        watchIdleness(session);
    }

    public void received(String connectionId, String frame) {
        Session session = sessions.get(connectionId);
        if (session == null) {
            return;
        }
        long now = System.nanoTime();
        session.heard(now);
        metrics.received();
        if (tooLarge(frame)) {
            disconnect(session, Disconnect.MESSAGE_TOO_BIG, "messages are limited to " + config.maxMessageBytes() + " bytes");
            return;
        }
        Inbound inbound = JsonRpc.read(frame);
        String method = inbound instanceof Inbound.Call call ? call.method() : null;
        if (!session.tryAcquire(now)) {
            fail(session, inbound.id(), method, now, ErrorCode.RATE_LIMITED.code(), "more than "
                    + config.rateLimit().requestsPerSecond() + " requests per second; slow down");
            return;
        }
        try {
            switch (inbound) {
                case Inbound.Invalid invalid -> throw invalid.error();
                case Inbound.Call call -> handle(session, call, now);
            }
        } catch (ProtocolException e) {
            fail(session, inbound.id(), method, now, e.code().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "connection %s: %s failed", connectionId, method);
            fail(session, inbound.id(), method, now, ErrorCode.INTERNAL.code(), "the gateway failed on this request; try again");
        }
    }

    public void heard(String connectionId) {
        Session session = sessions.get(connectionId);
        if (session != null) {
            session.heard(System.nanoTime());
        }
    }

    /** The socket is gone: a participant that did not leave enters its grace window. */
    public void closed(String connectionId) {
        Session session = sessions.remove(connectionId);
        if (session != null) {
            session.markClosed();
            forget(session);
        }
    }

    /**
     * Closes a client's socket and forgets the connection at once: a client that does not read may never
     * finish the close handshake, and its participant should not wait for that to be reported lost.
     */
    private void disconnect(Session session, Disconnect why, String reason) {
        if (sessions.remove(session.id(), session)) {
            LOG.infof("closing connection %s (%s): %s", session.id(), why.tag(), reason);
            metrics.disconnected(why);
            session.close(why, reason);
            forget(session);
        }
    }

    private void forget(Session session) {
        session.pending().values().forEach(pending -> vertx.cancelTimer(pending.timerId()));
        session.presence().room().ifPresent(roomId -> unwatch(roomId, session));
        if (session.presence() instanceof Presence.Joined joined) {
            tell(session.id(), joined.roomId(), joined.participantId(), new RoomCommand.ConnectionLost());
        }
    }

    /**
     * Closes every socket before the gateway stops, so that its clients move to another gateway and
     * rooms hear at once that their participants are lost for now, not when they never come back.
     */
    void shutdown(@Observes ShutdownDelayInitiatedEvent shutdown) {
        CompletableFuture<?>[] closing = sessions.values().stream().map(session -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            session.execute(() -> {
                disconnect(session, Disconnect.SHUTDOWN, "this gateway is stopping: reconnect and resume");
                closed.complete(null);
            });
            return closed;
        }).toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(closing).completeOnTimeout(null, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    // ---- from Kafka, on a consumer thread

    public void deliver(GatewayMessage message) {
        Session session = sessions.get(message.connectionId());
        if (session == null) {
            unclaimed(message.connectionId(), message.body());
            return;
        }
        session.execute(() -> {
            if (session.closed()) {
                unclaimed(session.id(), message.body());
                return;
            }
            switch (message.body()) {
                case GatewayMessage.Reply reply -> replied(session, reply);
                case GatewayMessage.Failure failure -> failed(session, failure);
                case GatewayMessage.Push push -> pushed(session, push.notification());
            }
        });
    }

    public void fanOut(RoomStatus status) {
        Set<Session> watching = watchers.get(status.roomId());
        if (watching != null) {
            watching.forEach(session -> session.execute(() -> session.offer(status).ifPresent(shown -> notify(session, shown))));
        }
    }

    // ---- requests

    private void handle(Session session, Inbound.Call call, long start) {
        switch (call.request()) {
            case ClientRequest.Ping ping -> succeed(session, call.id(), call.method(), start, new RequestResult.Done());
            case ClientRequest.JoinRoom join -> join(session, call, join, start);
            case ClientRequest.Resume resume -> resume(session, call, resume, start);
            case ClientRequest.LeaveRoom leave -> {
                Presence.Joined joined = joined(session);
                send(session, call, start, joined.roomId(), joined.participantId(), new RoomCommand.Leave());
                session.presence(new Presence.Leaving(joined.roomId(), joined.participantId()));
            }
            case ClientRequest.Publish publish ->
                    forward(session, call, start, new RoomCommand.Publish(publish.sdpOffer(), publish.kind()));
            case ClientRequest.Unpublish unpublish ->
                    forward(session, call, start, new RoomCommand.Unpublish(unpublish.streamId()));
            case ClientRequest.Subscribe subscribe ->
                    forward(session, call, start, new RoomCommand.Subscribe(subscribe.streamId(), subscribe.sdpOffer()));
            case ClientRequest.Unsubscribe unsubscribe ->
                    forward(session, call, start, new RoomCommand.Unsubscribe(unsubscribe.streamId()));
            case ClientRequest.AddIceCandidate candidate ->
                    forward(session, call, start, new RoomCommand.AddIceCandidate(candidate.streamId(), candidate.candidate()));
            case ClientRequest.SetMedia media ->
                    forward(session, call, start, new RoomCommand.SetMedia(media.streamId(), media.audio(), media.video()));
        }
    }

    private void join(Session session, Inbound.Call call, ClientRequest.JoinRoom join, long start) {
        requireIdle(session);
        TokenClaims claims = tokens.verify(join.token());
        if (!claims.mayJoin(join.roomId())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "your token does not allow room " + join.roomId());
        }
        JsonNode metadata = join.metadata() == null || join.metadata().isNull() ? null : join.metadata();
        String name = join.name() != null ? join.name() : claims.name();
        enter(session, call, start, join.roomId(), new RoomCommand.Join(claims.sub(), name, metadata));
    }

    private void resume(Session session, Inbound.Call call, ClientRequest.Resume resume, long start) {
        requireIdle(session);
        String roomId = ResumeTokens.roomOf(resume.resumeToken())
                .filter(room -> !room.isBlank())
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND,
                        "resumeToken is not one this service issued; join the room again"));
        enter(session, call, start, roomId, new RoomCommand.Resume(resume.resumeToken()));
    }

    /** Statuses of the room are watched from the moment the join is sent, so none falls between. */
    private void enter(Session session, Inbound.Call call, long start, String roomId, RoomCommand.Command command) {
        session.presence(new Presence.Joining(roomId));
        // Added inside compute: a set emptied and dropped by unwatch at the same moment must not swallow it.
        watchers.compute(roomId, (room, watching) -> {
            Set<Session> updated = watching == null ? ConcurrentHashMap.newKeySet() : watching;
            updated.add(session);
            return updated;
        });
        send(session, call, start, roomId, null, command);
    }

    private void forward(Session session, Inbound.Call call, long start, RoomCommand.Command command) {
        Presence.Joined joined = joined(session);
        send(session, call, start, joined.roomId(), joined.participantId(), command);
    }

    private static void requireIdle(Session session) {
        switch (session.presence()) {
            case Presence.Idle idle -> {
            }
            case Presence.Joining joining -> throw new ProtocolException(ErrorCode.CONFLICT,
                    "a joinRoom or resume for room " + joining.roomId() + " is in progress");
            case Presence.Joined joined -> throw new ProtocolException(ErrorCode.CONFLICT,
                    "already in room " + joined.roomId() + "; send leaveRoom first");
            case Presence.Leaving leaving -> throw new ProtocolException(ErrorCode.CONFLICT,
                    "still leaving room " + leaving.roomId() + "; wait for the leaveRoom result");
        }
    }

    private static Presence.Joined joined(Session session) {
        if (session.presence() instanceof Presence.Joined joined) {
            return joined;
        }
        throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "join a room first: send joinRoom (or resume after a reconnect)");
    }

    private void send(Session session, Inbound.Call call, long start, String roomId, String participantId,
                      RoomCommand.Command command) {
        String commandId = UUID.randomUUID().toString();
        long timer = vertx.setTimer(config.requestTimeout().toMillis(), fired -> timedOut(session, commandId));
        session.pending().put(commandId, new Pending(call.id(), call.method(), roomId, command, start, timer));
        commands.publish(new RoomCommand(commandId, roomId, gatewayId, session.id(), participantId, Instant.now(), command))
                .whenComplete((written, error) -> {
                    if (error != null) {
                        session.execute(() -> notSent(session, commandId, error));
                    }
                });
    }

    // ---- what rooms answer

    private void replied(Session session, GatewayMessage.Reply reply) {
        Pending pending = session.pending().remove(reply.commandId());
        if (pending == null) {
            unclaimed(session.id(), reply);
            return;
        }
        vertx.cancelTimer(pending.timerId());
        switch (reply.result()) {
            case RequestResult.Joined joined -> entered(session, pending.roomId(), joined.participantId(), joined.room());
            case RequestResult.Resumed resumed -> entered(session, pending.roomId(), resumed.participantId(), resumed.room());
            case RequestResult.Done done when pending.command() instanceof RoomCommand.Leave -> leaveRoom(session);
            default -> {
            }
        }
        succeed(session, pending.rpcId(), pending.method(), pending.startNanos(), reply.result());
        session.takeHeld().ifPresent(status -> notify(session, status));
    }

    private static void entered(Session session, String roomId, String participantId, RoomStatus room) {
        LOG.debugf("connection %s is participant %s of room %s", session.id(), participantId, roomId);
        session.joined(roomId, participantId, room);
    }

    private void failed(Session session, GatewayMessage.Failure failure) {
        Pending pending = session.pending().remove(failure.commandId());
        if (pending == null) {
            LOG.debugf("failure of command %s came after its request timed out", failure.commandId());
            return;
        }
        vertx.cancelTimer(pending.timerId());
        abandon(session, pending);
        fail(session, pending.rpcId(), pending.method(), pending.startNanos(), failure.code(), failure.message());
    }

    private void pushed(Session session, ServerNotification notification) {
        switch (notification) {
            case RoomStatus status -> session.offer(status).ifPresent(shown -> notify(session, shown));
            case ServerNotification.Evicted evicted -> {
                notify(session, evicted);
                leaveRoom(session);
            }
            case ServerNotification.RoomClosed closed -> {
                notify(session, closed);
                leaveRoom(session);
            }
            default -> notify(session, notification);
        }
    }

    private void timedOut(Session session, String commandId) {
        Pending pending = session.pending().remove(commandId);
        if (pending != null) {
            abandon(session, pending);
            fail(session, pending.rpcId(), pending.method(), pending.startNanos(), ErrorCode.TIMED_OUT.code(),
                    "the room did not answer within " + config.requestTimeout().toSeconds() + " s; try again");
        }
    }

    private void notSent(Session session, String commandId, Throwable error) {
        Pending pending = session.pending().remove(commandId);
        if (pending != null) {
            LOG.warnf("cannot send %s for room %s: %s", pending.method(), pending.roomId(), error.getMessage());
            vertx.cancelTimer(pending.timerId());
            abandon(session, pending);
            fail(session, pending.rpcId(), pending.method(), pending.startNanos(), ErrorCode.UNAVAILABLE.code(),
                    "the room service cannot be reached right now; try again");
        }
    }

    /** A request that failed leaves the connection where it was before it. */
    private void abandon(Session session, Pending pending) {
        switch (session.presence()) {
            case Presence.Joining joining when isEntry(pending.command()) -> leaveRoom(session);
            case Presence.Leaving leaving when pending.command() instanceof RoomCommand.Leave -> session.presence(leaving.stay());
            default -> {
            }
        }
    }

    private void leaveRoom(Session session) {
        session.presence().room().ifPresent(roomId -> unwatch(roomId, session));
        session.presence(Presence.IDLE);
    }

    /**
     * A join or resume that succeeded after its client stopped waiting: undo it, so that no participant
     * stays in a room that nobody is in. A joined one leaves (its client never got a resume token); a
     * resumed one is lost again, so its client can still resume.
     */
    private void unclaimed(String connectionId, GatewayMessage.Body body) {
        if (body instanceof GatewayMessage.Reply reply) {
            switch (reply.result()) {
                case RequestResult.Joined joined when joined.room() != null ->
                        tell(connectionId, joined.room().roomId(), joined.participantId(), new RoomCommand.Leave());
                case RequestResult.Resumed resumed when resumed.room() != null ->
                        tell(connectionId, resumed.room().roomId(), resumed.participantId(), new RoomCommand.ConnectionLost());
                default -> LOG.debugf("reply to command %s came after its request ended", reply.commandId());
            }
        }
    }

    /** A command nobody waits for: its failure can only be logged. */
    private void tell(String connectionId, String roomId, String participantId, RoomCommand.Command command) {
        commands.publish(new RoomCommand(UUID.randomUUID().toString(), roomId, gatewayId, connectionId, participantId,
                        Instant.now(), command))
                .whenComplete((written, error) -> {
                    if (error != null) {
                        LOG.errorf("room %s participant %s: cannot send %s: %s", roomId, participantId,
                                command.getClass().getSimpleName(), error.getMessage());
                    }
                });
    }

    // ---- answers to the client

    private void succeed(Session session, JsonNode id, String method, long start, RequestResult result) {
        metrics.answered(method, start);
        if (id != null) {
            write(session, JsonRpc.result(id, result));
        }
    }

    private void fail(Session session, JsonNode id, String method, long start, int code, String message) {
        metrics.error(code);
        if (method != null) {
            metrics.answered(method, start);
        }
        if (id != null) {
            write(session, JsonRpc.error(id, code, message));
        }
    }

    private void notify(Session session, ServerNotification notification) {
        write(session, JsonRpc.notification(notification));
    }

    private void write(Session session, String frame) {
        if (!session.send(frame)) {
            disconnect(session, Disconnect.SLOW_READER, session.unwritten() + " frames unread; client reads too slowly");
        }
    }

    // ---- bookkeeping

    private void unwatch(String roomId, Session session) {
        watchers.computeIfPresent(roomId, (room, watching) -> {
            watching.remove(session);
            return watching.isEmpty() ? null : watching;
        });
    }

    private void watchIdleness(Session session) {
        Duration idle = config.idleTimeout();
        long every = Math.max(1, idle.toMillis() / 4);
        vertx.setPeriodic(every, timer -> {
            if (session.closed()) {
                vertx.cancelTimer(timer);
            } else if (System.nanoTime() - session.lastHeard() > idle.toNanos()) {
                vertx.cancelTimer(timer);
                disconnect(session, Disconnect.IDLE, "nothing heard for " + idle.toSeconds() + " s");
            }
        });
    }

    /** UTF-8 takes up to three bytes per UTF-16 char: only long frames need counting. */
    private boolean tooLarge(String frame) {
        int limit = config.maxMessageBytes();
        return frame.length() > limit
                || (frame.length() * 3L > limit && frame.getBytes(StandardCharsets.UTF_8).length > limit);
    }

    private static boolean isEntry(RoomCommand.Command command) {
        return command instanceof RoomCommand.Join || command instanceof RoomCommand.Resume;
    }
}
