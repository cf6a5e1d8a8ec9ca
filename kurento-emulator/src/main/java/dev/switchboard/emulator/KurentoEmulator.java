package dev.switchboard.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.admin.Control;
import dev.switchboard.emulator.admin.Faults;
import dev.switchboard.emulator.protocol.KmsException;
import dev.switchboard.emulator.rpc.EmulatorServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-process stand-in for Kurento Media Server: the Kurento JSON-RPC protocol over a real
 * WebSocket, with objects, sessions, garbage collection, SDP negotiation, ICE and media-flow events
 * as KMS 7.3 has them, but no media. Point a Kurento client at {@link #url()}.
 *
 * <p>The fault methods are the admin API's ({@link #adminUrl()}) in Java. They must not be called
 * from a Kurento client callback that the emulator is waiting on.
 */
public final class KurentoEmulator implements AutoCloseable {

    private static final long CALL_TIMEOUT_SECONDS = 10;

    private final EmulatorSettings settings;
    private final Vertx vertx;
    private final EmulatorServer server;
    private final Context context;

    private KurentoEmulator(EmulatorSettings settings, Vertx vertx, EmulatorServer server, Context context) {
        this.settings = settings;
        this.vertx = vertx;
        this.server = server;
        this.context = context;
    }

    public static KurentoEmulator start() {
        return start(EmulatorSettings.defaults());
    }

    public static KurentoEmulator start(EmulatorSettings settings) {
        // One event loop runs everything: the server state needs no locks and timers do the waiting.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        EmulatorServer server = new EmulatorServer(settings);
        try {
            String deployment = vertx.deployVerticle(server).toCompletionStage().toCompletableFuture()
                    .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (deployment == null) {
                throw new IllegalStateException("Kurento emulator did not start");
            }
            return new KurentoEmulator(settings, vertx, server, server.loop());
        } catch (ExecutionException e) {
            vertx.close();
            throw new IllegalStateException("Kurento emulator could not listen on " + settings.host() + ":" + settings.port(), e.getCause());
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kurento emulator", e);
        } catch (TimeoutException e) {
            vertx.close();
            throw new IllegalStateException("Kurento emulator did not start in time", e);
        }
    }

    /** The Kurento WebSocket, as a KMS_URL: {@code ws://127.0.0.1:PORT/kurento}. */
    public String url() {
        return "ws://" + reachableHost() + ":" + port() + "/kurento";
    }

    public int port() {
        return server.port();
    }

    /** The admin API root, {@code http://127.0.0.1:PORT/admin}. */
    public String adminUrl() {
        return "http://" + reachableHost() + ":" + port() + "/admin";
    }

    /** Listening on every interface means loopback is one of them. */
    private String reachableHost() {
        String host = settings.host();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    public EmulatorSettings settings() {
        return settings;
    }

    /** The id {@code connect} answers with; a restart changes it. */
    public String serverId() {
        return onLoop(control -> server.serverId());
    }

    /** Every live pipeline and element, with the sessions holding it: what a leak check looks at. */
    public List<EmulatedObject> objects() {
        return onLoop(Control::objects);
    }

    public List<EmulatedSession> sessions() {
        return onLoop(Control::sessions);
    }

    public ObjectNode faults() {
        return onLoop(Control::faults);
    }

    /** Cuts every client connection without a close frame; sessions and objects survive until collected. */
    public int dropConnections() {
        return onLoop(Control::dropConnections);
    }

    /** Forgets everything and takes a new server id, as a restarted KMS; clients are disconnected. */
    public String restart() {
        return restart(Duration.ZERO);
    }

    /** Like {@link #restart()}, refusing connections for {@code downtime} as a KMS that takes that long to start. */
    public String restart(Duration downtime) {
        return onLoop(control -> control.restart(downtime));
    }

    /** Adds {@code delay} to every call answering to {@code method} (null: every call) until cleared. */
    public void delay(String method, Duration delay) {
        run(control -> control.delay(method, delay));
    }

    /** Fails the next {@code count} calls answering to {@code method} with KMS's UNEXPECTED_ERROR. */
    public void failNext(String method, int count) {
        failNext(method, count, Faults.DEFAULT_FAILURE_CODE, "Injected failure of " + method);
    }

    /** Fails the next {@code count} calls answering to {@code method} with the given KMS error. */
    public void failNext(String method, int count, int code, String message) {
        run(control -> control.failNext(method, count, code, message));
    }

    /** Accepts frames but answers nothing, events included, for {@code duration}; then catches up. */
    public void unresponsive(Duration duration) {
        run(control -> control.unresponsive(duration));
    }

    /** While on, remote ICE candidates never connect: endpoints stay CONNECTING, as with a dead candidate. */
    public void unreachableCandidates(boolean unreachable) {
        run(control -> control.unreachableCandidates(unreachable));
    }

    /** The browser behind a WebRtcEndpoint vanishes: flows go NOT_FLOWING, then media state DISCONNECTED. */
    public void peerLost(String endpointId) {
        run(control -> control.peerLost(endpointId));
    }

    /**
     * The network between a WebRtcEndpoint and its browser stalls ({@code true}: flows go NOT_FLOWING, then
     * media state DISCONNECTED, as with {@link #peerLost}) or recovers ({@code false}: the media flows again).
     */
    public void peerStalled(String endpointId, boolean stalled) {
        run(control -> control.peerStalled(endpointId, stalled));
    }

    /** Raises an Error event on an object. */
    public void raiseError(String objectId, String type, String description, int errorCode) {
        run(control -> control.raiseError(objectId, type, description, errorCode));
    }

    /** Ends every fault in force (delays, failures, unresponsiveness, unreachable candidates). */
    public void clearFaults() {
        run(Control::clearFaults);
    }

    /** Runs one garbage-collector pass now instead of waiting for the period. */
    public void collectGarbage() {
        run(Control::collectGarbage);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Nothing left to do for a server that will not stop cleanly.
        }
    }

    private void run(Consumer<Control> action) {
        onLoop(control -> {
            action.accept(control);
            return null;
        });
    }

    /** Runs on the emulator's event loop, where its state lives, and waits for the answer. */
    private <T> T onLoop(Function<Control, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(action.apply(server));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KmsException notFound) {
                throw new IllegalArgumentException(notFound.getMessage(), notFound);
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while talking to the Kurento emulator", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The Kurento emulator did not answer in time", e);
        }
    }
}
