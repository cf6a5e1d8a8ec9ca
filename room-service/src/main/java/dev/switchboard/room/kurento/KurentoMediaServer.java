package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.MediaState;
import dev.switchboard.room.kurento.MediaServerException.Kind;
import org.jboss.logging.Logger;
import org.kurento.client.Continuation;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.TFuture;
import org.kurento.client.Transaction;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;
import org.kurento.jsonrpc.JsonRpcErrorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link MediaServer} on one Kurento Media Server (or the emulator), through the Kurento Java Client's
 * asynchronous API only: its synchronous {@code create} holds one lock per client for the whole round trip,
 * which would put every room of this instance in one queue. Several requests of a room go out at once where
 * Kurento allows (an endpoint's subscriptions and tags), and in one {@link Transaction} where their order
 * matters (processOffer before gatherCandidates).
 */
final class KurentoMediaServer implements MediaServer, KurentoConnection.Listener {

    private static final Logger LOG = Logger.getLogger(KurentoMediaServer.class);
    /** Kurento's SDP_PARSE_ERROR: the client sent an offer the media server cannot read. */
    private static final int SDP_PARSE_ERROR = 40201;
    /** Kurento's MEDIA_OBJECT_NOT_FOUND. */
    private static final int OBJECT_NOT_FOUND = 40101;

    private final KurentoConnection connection;
    private final Consumer<Boolean> availability;
    /** Proxies of the objects this session created or took over, by id. */
    private final Map<String, MediaObject> objects = new ConcurrentHashMap<>();
    /** Releases asked for while the server was away, carried out when it is back. */
    private final Queue<Release> pendingReleases = new ConcurrentLinkedQueue<>();

    private record Release(String objectId, ObjectTags tags) {
    }

    /** @param availability told when the server becomes reachable ({@code true}) or unreachable */
    KurentoMediaServer(String url, Consumer<Boolean> availability) {
        this.connection = new KurentoConnection(url, this);
        this.availability = availability;
    }

    @Override
    public String id() {
        return connection.url();
    }

    @Override
    public void connect() {
        try {
            connection.client();
        } catch (RuntimeException e) {
            LOG.debugf("media server %s not reachable yet: %s", connection.url(), e.getMessage());
        }
    }

    @Override
    public boolean available() {
        return connection.available();
    }

    @Override
    public int endpointsHeld() {
        // Element ids are "<pipeline>/<element>"; pipelines have no slash.
        return (int) objects.keySet().stream().filter(id -> id.indexOf('/') > 0).count();
    }

    @Override
    public int pipelinesHeld() {
        return (int) objects.keySet().stream().filter(id -> id.indexOf('/') < 0).count();
    }

    @Override
    public String createPipeline(ObjectTags tags) {
        MediaPipeline pipeline = await("create pipeline", tags,
                this.<MediaPipeline>request(done -> connection.client().createMediaPipeline(done)));
        objects.put(pipeline.getId(), pipeline);
        tag(pipeline, tags);
        return pipeline.getId();
    }

    @Override
    public CompletableFuture<String> createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events) {
        return this.<WebRtcEndpoint>request(done ->
                        new WebRtcEndpoint.Builder(object(pipelineId, MediaPipeline.class)).buildAsync(done))
                .thenCompose(endpoint -> {
                    objects.put(endpoint.getId(), endpoint);
                    tag(endpoint, tags);
                    return listen(endpoint, events).handle((subscribed, failure) -> {
                        if (failure != null) {
                            // Deaf to its events, it is no use to anyone: nobody else knows of it to release it.
                            release(endpoint.getId(), tags);
                            throw new CompletionException(failure);
                        }
                        return endpoint.getId();
                    });
                })
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(failure("create endpoint", tags, e)));
    }

    @Override
    public void tagServed(String objectId, ObjectTags tags) {
        try {
            tag(object(objectId, MediaObject.class), new ObjectTags(null, tags.participantId(), tags.streamId()));
        } catch (RuntimeException e) {
            LOG.warnf("could not tag %s (%s): %s", objectId, tags, e.getMessage());
        }
    }

    @Override
    public void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events) {
        WebRtcEndpoint endpoint = await("reattach endpoint", tags, this.<WebRtcEndpoint>request(done ->
                done.onSuccess(connection.client().getById(endpointId, WebRtcEndpoint.class))));
        await("reattach endpoint", tags, listen(endpoint, events));
        objects.put(endpointId, endpoint);
    }

    @Override
    public List<String> pipelinesOf(String roomId) {
        ObjectTags tags = ObjectTags.room(roomId);
        List<MediaPipeline> pipelines = await("getPipelines", tags, this.<List<MediaPipeline>>request(done ->
                connection.client().getServerManager().getPipelines(done)));
        // One getTag each, all at once; a pipeline without the tag is another application's.
        List<CompletableFuture<String>> rooms = pipelines.stream()
                .map(pipeline -> this.<String>request(done -> pipeline.getTag("room", done))
                        .exceptionally(untagged -> null))
                .toList();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            if (roomId.equals(rooms.get(i).join())) {
                found.add(pipelines.get(i).getId());
            }
        }
        return found;
    }

    @Override
    public List<String> children(String pipelineId) {
        return await("getChildren", null, this.<List<MediaObject>>request(done ->
                object(pipelineId, MediaPipeline.class).getChildren(done)))
                .stream().map(MediaObject::getId).toList();
    }

    @Override
    public String publish(String endpointId, String sdpOffer) {
        WebRtcEndpoint endpoint = object(endpointId, WebRtcEndpoint.class);
        return negotiate("publish", tx -> {
            TFuture<String> answer = endpoint.processOffer(tx, sdpOffer);
            endpoint.gatherCandidates(tx);
            return answer;
        });
    }

    @Override
    public String subscribe(String sourceEndpointId, String endpointId, String sdpOffer) {
        WebRtcEndpoint source = object(sourceEndpointId, WebRtcEndpoint.class);
        WebRtcEndpoint endpoint = object(endpointId, WebRtcEndpoint.class);
        return negotiate("subscribe", tx -> {
            source.connect(tx, endpoint);
            TFuture<String> answer = endpoint.processOffer(tx, sdpOffer);
            endpoint.gatherCandidates(tx);
            return answer;
        });
    }

    @Override
    public void addIceCandidate(String endpointId, IceCandidate candidate) {
        await("addIceCandidate", null, this.<Void>request(done -> object(endpointId, WebRtcEndpoint.class)
                .addIceCandidate(new org.kurento.client.IceCandidate(candidate.candidate(), candidate.sdpMid(),
                        candidate.sdpMLineIndex() == null ? 0 : candidate.sdpMLineIndex()), done)));
    }

    @Override
    public void release(String objectId, ObjectTags tags) {
        MediaObject known = objects.remove(objectId);
        if (objectId.indexOf('/') < 0) {
            // A pipeline takes its elements with it.
            objects.keySet().removeIf(id -> id.startsWith(objectId + "/"));
        }
        if (!available()) {
            pendingReleases.add(new Release(objectId, tags));
            return;
        }
        try {
            MediaObject object = known != null ? known : connection.client().getById(objectId, MediaObject.class);
            object.release(logged("release " + objectId, tags, null));
        } catch (RuntimeException e) {
            // The connection failed under us: try again once it is back.
            pendingReleases.add(new Release(objectId, tags));
            connection.lost();
        }
    }

    @Override
    public void availability(boolean reachable) {
        if (reachable) {
            for (Release r; (r = pendingReleases.poll()) != null; ) {
                release(r.objectId(), r.tags());
            }
        }
        availability.accept(reachable);
    }

    @Override
    public void newSession() {
        objects.clear();
    }

    /**
     * One transaction: the operations go in one request, in order, and are answered together. A failed
     * operation undoes nothing before it; the room releases the endpoint, which takes its state with it.
     */
    private String negotiate(String operation, Function<Transaction, TFuture<String>> operations) {
        AtomicReference<TFuture<String>> answer = new AtomicReference<>();
        await(operation, null, this.<Void>request(done -> {
            Transaction tx = connection.client().beginTransaction();
            answer.set(operations.apply(tx));
            tx.commit(done);
        }));
        try {
            return answer.get().get();
        } catch (RuntimeException e) {
            throw failure(operation, null, e);
        }
    }

    /** Every event the room relays, subscribed to at once; the endpoint is ready when all are in place. */
    private CompletableFuture<Void> listen(WebRtcEndpoint endpoint, Consumer<MediaEvent> events) {
        String id = endpoint.getId();
        return CompletableFuture.allOf(
                this.<ListenerSubscription>request(done -> endpoint.addIceCandidateFoundListener(e -> events.accept(new MediaEvent.CandidateFound(id,
                        new IceCandidate(e.getCandidate().getCandidate(), e.getCandidate().getSdpMid(),
                                e.getCandidate().getSdpMLineIndex()))), done)),
                this.<ListenerSubscription>request(done -> endpoint.addMediaStateChangedListener(e -> events.accept(new MediaEvent.StateChanged(id,
                        e.getNewState() == org.kurento.client.MediaState.CONNECTED
                                ? MediaState.CONNECTED : MediaState.DISCONNECTED)), done)),
                this.<ListenerSubscription>request(done -> endpoint.addMediaFlowInStateChangedListener(
                        e -> events.accept(new MediaEvent.StateChanged(id, flow(e.getState()))), done)),
                this.<ListenerSubscription>request(done -> endpoint.addMediaFlowOutStateChangedListener(
                        e -> events.accept(new MediaEvent.StateChanged(id, flow(e.getState()))), done)));
    }

    private static MediaState flow(MediaFlowState state) {
        return state == MediaFlowState.FLOWING ? MediaState.FLOWING : MediaState.NOT_FLOWING;
    }

    /** Tags go out without waiting: they serve finding orphans, not the call. */
    private static void tag(MediaObject object, ObjectTags tags) {
        tags.asMap().forEach((key, value) ->
                object.addTag(key, value, logged("tag " + key + "=" + value, tags, object.getId())));
    }

    private static <T> Continuation<T> logged(String what, ObjectTags tags, String objectId) {
        return new Continuation<>() {
            @Override
            public void onSuccess(T result) {
                LOG.debugf("%s done (%s)", what, tags);
            }

            @Override
            public void onError(Throwable cause) {
                LOG.warnf("could not %s%s (%s): %s", what, objectId == null ? "" : " on " + objectId, tags,
                        cause.getMessage());
            }
        };
    }

    private <T extends MediaObject> T object(String id, Class<T> type) {
        MediaObject known = objects.get(id);
        return type.isInstance(known) ? type.cast(known) : connection.client().getById(id, type);
    }

    /** Sends a request with a continuation; the future completes with its answer. */
    private <T> CompletableFuture<T> request(Request<T> send) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!available()) {
            return CompletableFuture.failedFuture(
                    new MediaServerException("media server " + id() + " is unreachable", Kind.UNREACHABLE, null));
        }
        try {
            send.send(new Continuation<>() {
                @Override
                public void onSuccess(T result) {
                    answer.complete(result);
                }

                @Override
                public void onError(Throwable cause) {
                    answer.completeExceptionally(cause);
                }
            });
        } catch (Exception e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** A request sent with the continuation that takes its answer. */
    @FunctionalInterface
    private interface Request<T> {
        void send(Continuation<T> answer) throws Exception;
    }

    /** Waits for an answer on the room's virtual thread. */
    private <T> T await(String operation, ObjectTags tags, CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw failure(operation, tags, e.getCause());
        }
    }

    private static MediaServerException refused(String operation, String where, int code, String message, Throwable cause) {
        Kind kind = switch (code) {
            case SDP_PARSE_ERROR -> Kind.BAD_INPUT;
            case OBJECT_NOT_FOUND -> Kind.NOT_FOUND;
            default -> Kind.FAILED;
        };
        return new MediaServerException("media server refused " + operation + ": " + message + where, kind, cause);
    }

    /** What a failed call means for the room: the client's input, a missing object, a refusal, or a lost server. */
    private MediaServerException failure(String operation, ObjectTags tags, Throwable cause) {
        Throwable e = cause instanceof CompletionException c && c.getCause() != null ? c.getCause() : cause;
        String where = tags == null ? "" : " (" + tags + ")";
        return switch (e) {
            case MediaServerException known -> known;
            // The synchronous API reports the server's refusals as the first, continuations as the second.
            case KurentoServerException refused -> refused(operation, where, refused.getCode(), refused.getServerMessage(), refused);
            case JsonRpcErrorException refused -> refused(operation, where, refused.getCode(), refused.getServerMessage(), refused);
            default -> {
                // Not an answer from the media server: the connection is what failed.
                LOG.debugf(e, "media server call %s failed without an answer", operation);
                connection.lost();
                yield new MediaServerException("media server " + id() + " unreachable for " + operation + ": "
                        + e.getMessage(), Kind.UNREACHABLE, e);
            }
        };
    }
}
