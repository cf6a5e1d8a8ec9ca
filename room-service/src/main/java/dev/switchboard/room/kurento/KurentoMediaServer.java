package dev.switchboard.room.kurento;

import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.MediaState;
import dev.switchboard.room.config.RoomServiceConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.kurento.client.Continuation;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoConnectionListener;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@link MediaServer} on a Kurento Media Server (or the emulator) through the Kurento Java Client. */
@ApplicationScoped
public class KurentoMediaServer implements MediaServer {

    private static final Logger LOG = Logger.getLogger(KurentoMediaServer.class);
    /** Kurento's SDP_PARSE_ERROR: the client sent an offer the media server cannot read. */
    private static final int SDP_PARSE_ERROR = 40201;

    private final String url;
    private final ReentrantLock connecting = new ReentrantLock();
    private final Map<String, MediaObject> objects = new ConcurrentHashMap<>();
    private volatile KurentoClient client;

    public KurentoMediaServer(RoomServiceConfig config) {
        this.url = config.kms().url();
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
        WebRtcEndpoint endpoint = call("reattach endpoint", tags, () -> client().getById(endpointId, WebRtcEndpoint.class));
        objects.put(endpointId, endpoint);
        listen(endpoint, endpointId, tags, events);
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
        MediaObject object = objects.remove(objectId);
        if (object == null) {
            object = object(objectId, MediaObject.class);
        }
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

    private static <T> T call(String operation, ObjectTags tags, Supplier<T> call) {
        try {
            return call.get();
        } catch (KurentoServerException e) {
            throw new MediaServerException("media server refused " + operation + ": " + e.getServerMessage()
                    + (tags == null ? "" : " (" + tags + ")"), e.getCode() == SDP_PARSE_ERROR, e);
        } catch (RuntimeException e) {
            throw new MediaServerException("media server unavailable for " + operation + ": " + e.getMessage(), false, e);
        }
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
                client = KurentoClient.create(url, new ConnectionLog(url));
            }
            return client;
        } finally {
            connecting.unlock();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        KurentoClient current = client;
        if (current != null) {
            current.destroy();
        }
    }

    private record ConnectionLog(String url) implements KurentoConnectionListener {
        @Override
        public void connected() {
            LOG.infof("connected to media server %s", url);
        }

        @Override
        public void connectionFailed() {
            LOG.warnf("cannot connect to media server %s", url);
        }

        @Override
        public void disconnected() {
            LOG.warnf("disconnected from media server %s", url);
        }

        @Override
        public void reconnected(boolean sameServer) {
            LOG.infof("reconnected to media server %s (same server: %s)", url, sameServer);
        }
    }
}
