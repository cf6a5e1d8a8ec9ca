package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.EmulatedObject;
import dev.switchboard.emulator.EmulatedSession;
import dev.switchboard.emulator.EmulatorSettings;
import dev.switchboard.emulator.LatencyModel;
import dev.switchboard.emulator.admin.AdminApi;
import dev.switchboard.emulator.admin.Control;
import dev.switchboard.emulator.admin.Faults;
import dev.switchboard.emulator.media.Scheduler;
import dev.switchboard.emulator.objects.Environment;
import dev.switchboard.emulator.objects.MediaElementImpl;
import dev.switchboard.emulator.objects.MediaObjectImpl;
import dev.switchboard.emulator.objects.MediaSet;
import dev.switchboard.emulator.objects.WebRtcEndpointImpl;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsException;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The emulated server: one Vert.x event loop serving the Kurento WebSocket at {@code /kurento} and the
 * admin API at {@code /admin} on one port. Every request, timer and fault runs on that loop, so the
 * server state needs no locks; latency is timers over an emulated worker pool, so a slow call holds up
 * only its own object and, while it works, one worker.
 */
public final class EmulatorServer extends AbstractVerticle implements Control {

    private static final Logger LOG = Logger.getLogger(EmulatorServer.class.getName());
    private static final Logger REQUESTS = Logger.getLogger("dev.switchboard.emulator.requests");
    private static final String KURENTO_PATH = "/kurento";
    private static final short PROTOCOL_ERROR = 1002;

    private final EmulatorSettings settings;
    private final Faults faults = new Faults();
    private final RequestCache cache = new RequestCache();
    private final RandomGenerator random = new SplittableRandom();
    private final Set<KmsSocket> sockets = new LinkedHashSet<>();
    private final Map<String, KmsSocket> socketBySession = new HashMap<>();
    private final Map<KmsSocket, String> sessionBySocket = new HashMap<>();
    private Scheduler scheduler;
    private CallLanes lanes;
    private HttpServer server;
    private int port;
    private String serverId;
    private long downUntil;
    private MediaSet mediaSet;
    private ServerMethods methods;
    private boolean certificateMade;

    public EmulatorServer(EmulatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start(Promise<Void> started) {
        scheduler = new LoopScheduler();
        lanes = new CallLanes(scheduler, new WorkerPool(settings.workers()));
        newServerInstance();
        AdminApi admin = new AdminApi(this);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setReuseAddress(true)
                .setMaxWebSocketFrameSize(4 * 1024 * 1024)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024);
        vertx.createHttpServer(options)
                .requestHandler(request -> onRequest(request, admin))
                .listen()
                .onSuccess(listening -> {
                    server = listening;
                    port = listening.actualPort();
                    scheduleGarbageCollection();
                    LOG.fine(() -> "Kurento emulator listening on ws://" + settings.host() + ":" + port + KURENTO_PATH);
                    started.complete();
                })
                .onFailure(started::fail);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        mediaSet.shutDown();
        if (server == null) {
            stopped.complete();
        } else {
            server.close().onComplete(closed -> stopped.complete());
        }
    }

    public int port() {
        return port;
    }

    /** Like KMS's collector thread: one pass, then a full period of waiting before the next. */
    private void scheduleGarbageCollection() {
        vertx.setTimer(settings.gcPeriod().toMillis(), timer -> {
            collectGarbage();
            scheduleGarbageCollection();
        });
    }

    /** The event loop this server's state belongs to. */
    public Context loop() {
        return context;
    }

    public String serverId() {
        return serverId;
    }

    private void onRequest(HttpServerRequest request, AdminApi admin) {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            if (scheduler.nowMillis() < downUntil) {
                request.response().setStatusCode(503).end();
                return;
            }
            HttpConnection connection = request.connection();
            String path = request.path();
            request.toWebSocket().onSuccess(webSocket -> accept(webSocket, connection, path));
        } else if (request.path().startsWith("/admin")) {
            admin.handle(request);
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void accept(ServerWebSocket webSocket, HttpConnection connection, String path) {
        KmsSocket socket = new KmsSocket(webSocket, connection);
        if (!KURENTO_PATH.equals(path)) {
            // KMS completes the handshake, then refuses the path.
            socket.close(PROTOCOL_ERROR, "Invalid path");
            return;
        }
        sockets.add(socket);
        webSocket.textMessageHandler(text -> onFrame(socket, text));
        webSocket.closeHandler(closed -> onClosed(socket));
        webSocket.exceptionHandler(error -> LOG.log(Level.FINE, "WebSocket error", error));
    }

    private void onFrame(KmsSocket socket, String text) {
        if (!socket.isOpen()) {
            return;
        }
        if (faults.unresponsive(scheduler.nowMillis())) {
            socket.holdIncoming(text);
            return;
        }
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (JsonProcessingException e) {
            // KMS's parser throws through its transport, which drops the connection without a word.
            LOG.fine(() -> "Dropping connection after a frame that is not JSON: " + text);
            socket.drop();
            onClosed(socket);
            return;
        }
        if (!ServerMethods.isRequest(message)) {
            send(socket, Replies.invalidRequest());
            return;
        }
        handle(socket, (ObjectNode) message);
    }

    private void handle(KmsSocket socket, ObjectNode request) {
        long started = scheduler.nowMillis();
        String boundSession = sessionBySocket.get(socket);
        if (boundSession != null) {
            injectSession(request, boundSession);
        }
        if (!KmsRequest.knows(request.path("method").asText())) {
            ObjectNode reply = ServerMethods.methodNotFound(request);
            cache.store(request, reply, started);
            deliver(socket, request, reply, started);
            return;
        }
        ObjectNode cached = cache.lookup(request, started);
        if (cached != null) {
            deliver(socket, request, cached, started);
            return;
        }
        Call call = Call.of(request);
        KmsException failure = faults.takeFailure(call.names());
        ServerMethods current = methods;
        JsonNode replyId = Replies.isNotification(request) ? null : request.get("id");
        lanes.submit(laneOf(call, socket), cost(call), faults.delayFor(call.names()), () -> {
            ServerMethods.Outcome outcome = failure == null
                    ? current.execute(request)
                    : new ServerMethods.Outcome(Replies.error(replyId, failure), Duration.ZERO);
            cache.store(request, outcome.reply(), scheduler.nowMillis());
            if (outcome.delay().isPositive()) {
                scheduler.after(outcome.delay(), () -> deliver(socket, request, outcome.reply(), started));
            } else {
                deliver(socket, request, outcome.reply(), started);
            }
        });
    }

    private LatencyModel.Sample cost(Call call) {
        LatencyModel model = settings.latency();
        LatencyModel.Sample cost = call.cost(model, random);
        if (certificateMade || !call.creates("WebRtcEndpoint")) {
            return cost;
        }
        // KMS generates its DTLS certificate with the first WebRtcEndpoint it creates.
        certificateMade = true;
        return cost.plus(new LatencyModel.Sample(model.certificate(), model.certificate()));
    }

    /** A socket speaks for one session; KMS adds it to requests that do not name one. */
    private static void injectSession(ObjectNode request, String sessionId) {
        JsonNode params = request.get("params");
        if (params == null || params.isNull()) {
            request.putObject("params").put("sessionId", sessionId);
        } else if (params instanceof ObjectNode object && !object.has("sessionId")) {
            object.put("sessionId", sessionId);
        }
    }

    private static String laneOf(Call call, KmsSocket socket) {
        if (call.target() != null) {
            return "object " + call.target();
        }
        // KMS answers a session's requests concurrently: creations and transactions wait only for workers.
        boolean independent = call.label().startsWith("create:") || !call.operations().isEmpty();
        return independent ? "independent " + UUID.randomUUID() : "socket " + socket.number();
    }

    private void deliver(KmsSocket socket, ObjectNode request, ObjectNode reply, long started) {
        if (settings.logRequests()) {
            logRequest(request, reply, started);
        }
        if (reply == null) {
            return;
        }
        String sessionId = Replies.sessionOf(reply);
        if (sessionId != null && !sessionId.isEmpty() && socket.isOpen()) {
            bind(sessionId, socket);
        }
        send(socket, reply);
    }

    /** The socket that last got a reply for a session receives that session's events, whoever subscribed them. */
    private void bind(String sessionId, KmsSocket socket) {
        KmsSocket previous = socketBySession.put(sessionId, socket);
        if (previous != null && previous != socket) {
            sessionBySocket.remove(previous, sessionId);
        }
        String old = sessionBySocket.put(socket, sessionId);
        if (old != null && !old.equals(sessionId)) {
            socketBySession.remove(old, socket);
        }
        mediaSet.keepAliveIfKnown(sessionId);
    }

    private void onClosed(KmsSocket socket) {
        socket.closed();
        sockets.remove(socket);
        String sessionId = sessionBySocket.remove(socket);
        if (sessionId != null) {
            socketBySession.remove(sessionId, socket);
            // The disconnection is the session's last activity: collected one to two periods later.
            mediaSet.keepAliveIfKnown(sessionId);
        }
    }

    private void deliverEvent(String sessionId, ObjectNode notification) {
        KmsSocket socket = socketBySession.get(sessionId);
        if (socket != null) {
            send(socket, notification);
        }
    }

    private void send(KmsSocket socket, ObjectNode message) {
        String text = Json.write(message);
        if (faults.unresponsive(scheduler.nowMillis())) {
            socket.holdOutgoing(text);
        } else {
            socket.write(text);
        }
    }

    private void resumeWhenResponsive() {
        long now = scheduler.nowMillis();
        if (faults.unresponsive(now)) {
            scheduler.after(Duration.ofMillis(faults.unresponsiveUntil() - now), this::resumeWhenResponsive);
            return;
        }
        for (KmsSocket socket : List.copyOf(sockets)) {
            socket.flushHeldOutgoing();
            socket.takeHeldIncoming().forEach(frame -> onFrame(socket, frame));
        }
    }

    private void newServerInstance() {
        serverId = UUID.randomUUID().toString();
        certificateMade = false;
        byte[] certificate = new byte[32];
        random.nextBytes(certificate);
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(certificate);
        Environment environment = new Environment(scheduler, settings.media(), random, fingerprint, "127.0.0.1",
                faults::peersUnreachable, scheduler.nowMillis() / 1000);
        mediaSet = new MediaSet(environment, this::deliverEvent);
        methods = new ServerMethods(mediaSet, serverId);
    }

    private void logRequest(ObjectNode request, ObjectNode reply, long started) {
        Call call = Call.of(request);
        String session = Json.text(request.path("params"), "sessionId");
        if (session == null) {
            session = Replies.sessionOf(reply);
        }
        String outcome;
        if (reply == null) {
            outcome = "(notification)";
        } else if (reply.has("error")) {
            outcome = "error " + reply.path("error").path("code").asText() + " " + reply.path("error").path("message").asText();
        } else {
            outcome = "ok";
        }
        REQUESTS.info(String.format("%s %s%s -> %s (%d ms)", session == null ? "-" : session, call.label(),
                call.target() == null ? "" : " " + call.target(), outcome, scheduler.nowMillis() - started));
    }

    // Control: what the admin API and KurentoEmulator can do.

    @Override
    public ObjectNode info() {
        return Json.object().put("serverId", serverId).put("url", "ws://" + settings.host() + ":" + port + KURENTO_PATH)
                .put("gcPeriodMillis", settings.gcPeriod().toMillis()).put("connections", sockets.size())
                .put("downForMillis", Math.max(0, downUntil - scheduler.nowMillis()));
    }

    @Override
    public List<EmulatedObject> objects() {
        return mediaSet.mediaObjects().stream()
                .map(object -> new EmulatedObject(object.id(), object.type(), object.tags(),
                        mediaSet.holders(object.id()).stream().sorted().toList(),
                        object.parent() == null ? null : object.parent().id(),
                        object instanceof MediaElementImpl element ? element.sinkIds() : List.of()))
                .toList();
    }

    @Override
    public List<EmulatedSession> sessions() {
        return mediaSet.sessions().entrySet().stream()
                .map(session -> new EmulatedSession(session.getKey(), socketBySession.containsKey(session.getKey()), session.getValue()))
                .toList();
    }

    @Override
    public ObjectNode faults() {
        return faults.describe(scheduler.nowMillis());
    }

    @Override
    public int dropConnections() {
        List<KmsSocket> open = List.copyOf(sockets);
        for (KmsSocket socket : open) {
            socket.drop();
            onClosed(socket);
        }
        return open.size();
    }

    @Override
    public String restart(Duration downtime) {
        downUntil = scheduler.nowMillis() + downtime.toMillis();
        dropConnections();
        mediaSet.shutDown();
        lanes.clear();
        cache.clear();
        newServerInstance();
        return serverId;
    }

    @Override
    public void delay(String method, Duration delay) {
        faults.addDelay(method, delay);
    }

    @Override
    public void failNext(String method, int count, int code, String message) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        faults.failNext(method, count, code, message);
    }

    @Override
    public void unresponsive(Duration duration) {
        faults.unresponsiveUntil(scheduler.nowMillis() + duration.toMillis());
        scheduler.after(duration, this::resumeWhenResponsive);
    }

    @Override
    public void unreachableCandidates(boolean unreachable) {
        faults.peersUnreachable(unreachable);
    }

    @Override
    public void peerLost(String endpointId) {
        webRtcEndpoint(endpointId).peerLost();
    }

    @Override
    public void peerStalled(String endpointId, boolean stalled) {
        webRtcEndpoint(endpointId).stall(stalled);
    }

    private WebRtcEndpointImpl webRtcEndpoint(String id) {
        if (!(mediaSet.find(id) instanceof WebRtcEndpointImpl endpoint)) {
            throw new IllegalArgumentException(id + " is not a WebRtcEndpoint");
        }
        return endpoint;
    }

    @Override
    public void raiseError(String objectId, String type, String description, int errorCode) {
        MediaObjectImpl object = mediaSet.find(objectId);
        object.raiseError(type, description, errorCode);
    }

    @Override
    public void clearFaults() {
        faults.clear();
        resumeWhenResponsive();
    }

    @Override
    public void collectGarbage() {
        mediaSet.collectGarbage(socketBySession.keySet().stream().collect(Collectors.toSet()));
    }

    /** Timers on this server's event loop. */
    private final class LoopScheduler implements Scheduler {

        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void after(Duration delay, Runnable task) {
            if (delay.toMillis() <= 0) {
                context.runOnContext(ignored -> task.run());
            } else {
                vertx.setTimer(delay.toMillis(), timer -> task.run());
            }
        }
    }
}
