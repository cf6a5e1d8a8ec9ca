package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.MediaState;
import dev.switchboard.room.config.RoomServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.kurento.client.Continuation;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;
import dev.switchboard.room.kurento.MediaServerException.Kind;
import jakarta.enterprise.event.Event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link MediaServer} on a Kurento Media Server (or the emulator) through the Kurento Java Client.
 * The client is never closed on shutdown: closing sends {@code closeSession}, and Kurento then destroys
 * every object only this session holds, which would cut the media of the rooms being handed over. A
 * session that just goes away keeps its objects for the next owner to take over.
 */
@ApplicationScoped
public class KurentoMediaServer implements MediaServer {

    private static final Logger LOG = Logger.getLogger(KurentoMediaServer.class);
    /** Kurento's SDP_PARSE_ERROR: the client sent an offer the media server cannot read. */
    private static final int SDP_PARSE_ERROR = 40201;
    /** Kurento's MEDIA_OBJECT_NOT_FOUND. */
    private static final int OBJECT_NOT_FOUND = 40101;
    private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

    private final String url;
    private final Event<MediaServerAvailability> availability;
    private final ReentrantLock connecting = new ReentrantLock();
    private final Map<String, MediaObject> objects = new ConcurrentHashMap<>();
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private volatile KurentoClient client;

    public KurentoMediaServer(RoomServiceConfig config, Event<MediaServerAvailability> availability) {
        this.url = config.kms().url();
        this.availability = availability;
    }

    @Override
    public boolean available() {
        return available.get();
    }

    @Override
    public String createPipeline(ObjectTags tags) {
        MediaPipeline pipeline = call("create pipeline", tags, () -> client().createMediaPipeline());
        return remember(pipeline, tags);
    }

    @Override
    public String createEndpoint(String pipelineId, ObjectTags tags, Consumer<MediaEvent> events) {
        WebRtcEndpoint endpoint = call("create endpoint", tags,
                () -> new WebRtcEndpoint.Builder(object(pipelineId, MediaPipeline.class)).build());
        String id = remember(endpoint, tags);
        listen(endpoint, id, tags, events);
        return id;
    }

    @Override
    public void reattach(String endpointId, ObjectTags tags, Consumer<MediaEvent> events) {
        call("reattach endpoint", tags, () -> {
            WebRtcEndpoint endpoint = client().getById(endpointId, WebRtcEndpoint.class);
            listen(endpoint, endpointId, tags, events);
            objects.put(endpointId, endpoint);
            return null;
        });
    }

    @Override
    public List<String> children(String pipelineId) {
        return call("getChildren", null, () -> object(pipelineId, MediaPipeline.class).getChildren().stream()
                .map(MediaObject::getId).toList());
    }

    @Override
    public String processOffer(String endpointId, String sdpOffer) {
        return call("processOffer", null, () -> object(endpointId, WebRtcEndpoint.class).processOffer(sdpOffer));
    }

    @Override
    public void gatherCandidates(String endpointId) {
        call("gatherCandidates", null, () -> {
            object(endpointId, WebRtcEndpoint.class).gatherCandidates();
            return null;
        });
    }

    @Override
    public void addIceCandidate(String endpointId, IceCandidate candidate) {
        call("addIceCandidate", null, () -> {
            object(endpointId, WebRtcEndpoint.class).addIceCandidate(new org.kurento.client.IceCandidate(
                    candidate.candidate(), candidate.sdpMid(),
                    candidate.sdpMLineIndex() == null ? 0 : candidate.sdpMLineIndex()));
            return null;
        });
    }

    @Override
    public void connect(String sourceEndpointId, String sinkEndpointId) {
        call("connect", null, () -> {
            object(sourceEndpointId, WebRtcEndpoint.class).connect(object(sinkEndpointId, WebRtcEndpoint.class));
            return null;
        });
    }

    @Override
    public void release(String objectId, ObjectTags tags) {
        MediaObject known = objects.remove(objectId);
        try {
            MediaObject object = known != null ? known : client().getById(objectId, MediaObject.class);
            object.release(new Continuation<>() {
                @Override
                public void onSuccess(Void result) {
                    LOG.debugf("released %s (%s)", objectId, tags);
                }

                @Override
                public void onError(Throwable cause) {
                    LOG.warnf("could not release %s (%s): %s", objectId, tags, cause.getMessage());
                }
            });
        } catch (RuntimeException e) {
            // The media server is away; what it still holds goes with the room's pipeline or its collector.
            LOG.warnf("could not release %s (%s): %s", objectId, tags, e.getMessage());
        }
    }

    private String remember(MediaObject object, ObjectTags tags) {
        String id = object.getId();
        objects.put(id, object);
        tag(object, "room", tags.roomId());
        tag(object, "participant", tags.participantId());
        tag(object, "stream", tags.streamId());
        return id;
    }

    /** Tags go out without waiting: they serve finding orphans, not the call. */
    private static void tag(MediaObject object, String key, String value) {
        if (value == null) {
            return;
        }
        object.addTag(key, value, new Continuation<>() {
            @Override
            public void onSuccess(Void result) {
            }

            @Override
            public void onError(Throwable cause) {
                LOG.warnf("could not tag %s with %s=%s: %s", object.getId(), key, value, cause.getMessage());
            }
        });
    }

    private static void listen(WebRtcEndpoint endpoint, String id, ObjectTags tags, Consumer<MediaEvent> events) {
        endpoint.addIceCandidateFoundListener(e -> events.accept(new MediaEvent.CandidateFound(id, new IceCandidate(
                e.getCandidate().getCandidate(), e.getCandidate().getSdpMid(), e.getCandidate().getSdpMLineIndex()))));
        endpoint.addMediaStateChangedListener(e -> events.accept(new MediaEvent.StateChanged(id,
                e.getNewState() == org.kurento.client.MediaState.CONNECTED ? MediaState.CONNECTED : MediaState.DISCONNECTED)));
        endpoint.addMediaFlowInStateChangedListener(e -> events.accept(new MediaEvent.StateChanged(id, flow(e.getState()))));
        endpoint.addMediaFlowOutStateChangedListener(e -> events.accept(new MediaEvent.StateChanged(id, flow(e.getState()))));
        LOG.debugf("listening to %s (%s)", id, tags);
    }

    private static MediaState flow(MediaFlowState state) {
        return state == MediaFlowState.FLOWING ? MediaState.FLOWING : MediaState.NOT_FLOWING;
    }

    private <T extends MediaObject> T object(String id, Class<T> type) {
        MediaObject known = objects.get(id);
        return type.isInstance(known) ? type.cast(known) : client().getById(id, type);
    }

    private <T> T call(String operation, ObjectTags tags, Supplier<T> call) {
        if (!available()) {
            throw new MediaServerException("media server unreachable for " + operation, Kind.UNREACHABLE, null);
        }
        try {
            return call.get();
        } catch (KurentoServerException e) {
            Kind kind = switch (e.getCode()) {
                case SDP_PARSE_ERROR -> Kind.BAD_INPUT;
                case OBJECT_NOT_FOUND -> Kind.NOT_FOUND;
                default -> Kind.FAILED;
            };
            throw new MediaServerException("media server refused " + operation + ": " + e.getServerMessage()
                    + (tags == null ? "" : " (" + tags + ")"), kind, e);
        } catch (RuntimeException e) {
            // Not an answer from the media server: the connection is what failed.
            LOG.debugf(e, "media server call %s failed without an answer", operation);
            lost();
            throw new MediaServerException("media server unreachable for " + operation + ": " + e.getMessage(),
                    Kind.UNREACHABLE, e);
        }
    }

    /** Rooms hear of it once; a background thread connects again. */
    private void lost() {
        if (available.compareAndSet(true, false)) {
            LOG.warnf("media server %s is unreachable; rooms wait for it", url);
            availability.fire(new MediaServerAvailability(false));
        }
        if (reconnecting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("kms-reconnect").start(this::reconnect);
        }
    }

    private void back() {
        if (available.compareAndSet(false, true)) {
            LOG.infof("media server %s is reachable again", url);
            availability.fire(new MediaServerAvailability(true));
        }
    }

    /**
     * Until the media server answers again: the Kurento client reconnects on its own after a dropped
     * socket, but gives up on a server that stays away; then a new client is needed.
     */
    private void reconnect() {
        do {
            while (!available()) {
                LockSupport.parkNanos(RECONNECT_EVERY.toNanos());
                try {
                    client().getServerManager().getInfo();
                    back();
                } catch (RuntimeException stillAway) {
                    LOG.debugf("media server %s still unreachable: %s", url, stillAway.getMessage());
                    KurentoClient current = client;
                    if (current != null && !current.isClosed()) {
                        current.destroy();
                    }
                }
            }
            reconnecting.set(false);
            // Lost again between the loop's last look and now: nobody else will reconnect.
        } while (!available() && reconnecting.compareAndSet(false, true));
    }

    /**
     * Connects on first use, never at startup: creating a client against a media server that accepts TCP
     * but never completes the handshake blocks for 25 s.
     */
    private KurentoClient client() {
        KurentoClient current = client;
        if (current != null && !current.isClosed()) {
            return current;
        }
        connecting.lock();
        try {
            if (client == null || client.isClosed()) {
                objects.clear();
                ConnectionEvents events = new ConnectionEvents();
                client = KurentoClient.create(url, events);
                events.of = client;
            }
            return client;
        } finally {
            connecting.unlock();
        }
    }

    /** The Kurento client's own view of its connection. */
    private final class ConnectionEvents implements KurentoConnectionListener {
        /** The client these events are about; a replaced client's last words are not news. */
        private volatile KurentoClient of;

        private boolean current() {
            return of == null || of == client;
        }

        @Override
        public void connected() {
            LOG.infof("connected to media server %s", url);
        }

        @Override
        public void connectionFailed() {
            if (current()) {
                lost();
            }
        }

        @Override
        public void disconnected() {
            if (current()) {
                lost();
            }
        }

        @Override
        public void reconnected(boolean sameServer) {
            LOG.infof("reconnected to media server %s (same server: %s)", url, sameServer);
            if (!current()) {
                return;
            }
            if (!sameServer) {
                objects.clear();
            }
            back();
        }
    }
}
