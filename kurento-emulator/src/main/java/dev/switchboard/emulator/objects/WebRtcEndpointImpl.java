package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.media.IceCandidate;
import dev.switchboard.emulator.media.MediaType;
import dev.switchboard.emulator.media.SdpNegotiator;
import dev.switchboard.emulator.media.WebRtcSession;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.Set;

/** A WebRtcEndpoint: SDP negotiation, trickle ICE and the media of a remote peer, all simulated. */
public final class WebRtcEndpointImpl extends MediaElementImpl {

    private final boolean dataChannels;
    private final WebRtcSession session;

    WebRtcEndpointImpl(MediaSet mediaSet, String id, MediaPipelineImpl pipeline, Args constructor) {
        super(mediaSet, id, "WebRtcEndpoint", pipeline);
        this.dataChannels = constructor.bool("useDataChannels", false);
        Environment environment = mediaSet.environment();
        SdpNegotiator.Capabilities capabilities = new SdpNegotiator.Capabilities(constructor.bool("recvonly", false),
                constructor.bool("sendonly", false), dataChannels);
        this.session = new WebRtcSession(capabilities, environment.fingerprint(), environment.address(), environment.scheduler(),
                environment.timings(), environment.peersUnreachable(), environment.random(), new Events());
        setDefault("maxAudioRecvBandwidth", IntNode.valueOf(0));
        setDefault("maxVideoRecvBandwidth", IntNode.valueOf(0));
        setDefault("minVideoRecvBandwidth", IntNode.valueOf(100));
        setDefault("minVideoSendBandwidth", IntNode.valueOf(100));
        setDefault("maxVideoSendBandwidth", IntNode.valueOf(500));
        setDefault("mtu", IntNode.valueOf(1200));
        setDefault("rembParams", Json.complex("RembParams").put("decrementFactor", 0.5).put("exponentialFactor", 0.04)
                .put("linealFactorGrade", 30).put("linealFactorMin", 50000).put("packetsRecvIntervalTop", 100)
                .put("rembOnConnect", 300000).put("thresholdFactor", 0.8).put("upLosses", 12));
        setDefault("networkInterfaces", TextNode.valueOf(""));
        setDefault("iceTcp", BooleanNode.TRUE);
        setDefault("stunServerAddress", TextNode.valueOf(""));
        setDefault("stunServerPort", IntNode.valueOf(3478));
        setDefault("turnUrl", TextNode.valueOf(""));
        setDefault("externalIPv4", TextNode.valueOf(""));
        setDefault("externalIPv6", TextNode.valueOf(""));
    }

    @Override
    protected JsonNode handle(String operation, Args args, CallContext context) {
        return switch (operation) {
            case "processOffer" -> TextNode.valueOf(session.processOffer(args.string("offer")));
            case "processAnswer" -> TextNode.valueOf(session.processAnswer(args.string("answer")));
            case "generateOffer" -> {
                JsonNode options = args.node("options");
                yield TextNode.valueOf(session.generateOffer(options.path("offerToReceiveAudio").asBoolean(true),
                        options.path("offerToReceiveVideo").asBoolean(true)));
            }
            case "getLocalSessionDescriptor" -> TextNode.valueOf(session.localDescriptor());
            case "getRemoteSessionDescriptor" -> TextNode.valueOf(session.remoteDescriptor());
            case "gatherCandidates" -> {
                session.gatherCandidates();
                yield NullNode.getInstance();
            }
            case "addIceCandidate" -> {
                JsonNode candidate = args.node("candidate");
                session.addIceCandidate(candidate.path("candidate").asText(), candidate.path("sdpMid").asText(null),
                        candidate.path("sdpMLineIndex").asInt(-1));
                yield NullNode.getInstance();
            }
            case "getMediaState" -> TextNode.valueOf(session.mediaState());
            case "getConnectionState" -> TextNode.valueOf(session.connectionState());
            case "getIceConnectionState" -> session.iceConnections();
            case "getICECandidatePairs" -> session.candidatePairs();
            case "getDtlsConnectionState" -> Json.array();
            case "createDataChannel", "closeDataChannel" -> {
                if (!dataChannels) {
                    throw KmsException.of(KmsError.MEDIA_OBJECT_OPERATION_NOT_SUPPORTED, "Data channels are not supported");
                }
                yield NullNode.getInstance();
            }
            default -> super.handle(operation, args, context);
        };
    }

    /** The remote peer is gone (tab closed, network lost); see {@link WebRtcSession#peerLost()}. */
    public void peerLost() {
        session.peerLost();
    }

    /** The network to the peer stalls or recovers; see {@link WebRtcSession#stall(boolean)}. */
    public void stall(boolean stalled) {
        session.stall(stalled);
    }

    @Override
    Set<MediaType> ownMedia() {
        return session.receivedMedia();
    }

    @Override
    boolean relaysMedia() {
        return false;
    }

    @Override
    protected void onReleased() {
        session.close();
        super.onReleased();
    }

    /** Turns what the session reports into the events KMS raises on the endpoint. */
    private final class Events implements WebRtcSession.Listener {

        @Override
        public void iceComponentStateChanged(int componentId, String state) {
            emit("IceComponentStateChanged", Json.object().put("componentId", componentId).put("state", state).put("streamId", 1));
        }

        @Override
        public void iceCandidateFound(String sdpMid, int sdpMLineIndex, IceCandidate candidate) {
            ObjectNode fields = Json.object();
            fields.set("candidate", Json.complex("IceCandidate").put("candidate", candidate.toString())
                    .put("sdpMLineIndex", sdpMLineIndex).put("sdpMid", sdpMid));
            emit("IceCandidateFound", fields);
        }

        @Override
        public void iceGatheringDone() {
            emit("IceGatheringDone", Json.object());
        }

        @Override
        public void newCandidatePairSelected(IceCandidate local, IceCandidate remote) {
            ObjectNode fields = Json.object();
            fields.set("candidatePair", WebRtcSession.candidatePair(local, remote));
            emit("NewCandidatePairSelected", fields);
        }

        @Override
        public void connectionStateChanged(String oldState, String newState) {
            emit("ConnectionStateChanged", Json.object().put("newState", newState).put("oldState", oldState));
        }

        @Override
        public void peerMediaChanged() {
            if (!isReleased()) {
                pipeline().refreshFlows();
            }
        }

        @Override
        public void mediaStateChanged(String oldState, String newState) {
            emit("MediaStateChanged", Json.object().put("newState", newState).put("oldState", oldState));
        }
    }
}
