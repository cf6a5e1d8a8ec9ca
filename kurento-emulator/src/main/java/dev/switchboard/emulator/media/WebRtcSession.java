package dev.switchboard.emulator.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.MediaTimings;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * The negotiation and transport side of one WebRtcEndpoint: SDP offer/answer, ICE gathering and
 * connectivity, and whether the remote peer's media is arriving. There is no socket behind it; the
 * states follow each other on timers, in the order and with the shapes KMS 7.3 showed with Chromium.
 */
public final class WebRtcSession {

    /** What the session reports; the endpoint turns each into a Kurento event. */
    public interface Listener {

        void iceComponentStateChanged(int componentId, String state);

        void iceCandidateFound(String sdpMid, int sdpMLineIndex, IceCandidate candidate);

        void iceGatheringDone();

        void newCandidatePairSelected(IceCandidate local, IceCandidate remote);

        void connectionStateChanged(String oldState, String newState);

        /** The peer's media started or stopped arriving. */
        void peerMediaChanged();

        void mediaStateChanged(String oldState, String newState);
    }

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;
    private static final int RTP_COMPONENT = 1;

    private enum Gathering { NOT_STARTED, GATHERING, DONE }

    private record RemoteCandidate(String line, String sdpMid, int sdpMLineIndex, IceCandidate candidate) {
    }

    private final SdpNegotiator.Capabilities capabilities;
    private final SdpNegotiator.LocalIdentity identity;
    private final String address;
    private final Scheduler scheduler;
    private final MediaTimings timings;
    private final BooleanSupplier peersUnreachable;
    private final RandomGenerator random;
    private final Listener listener;

    private Sdp local;
    private Sdp remote;
    private boolean offerGenerated;
    private boolean negotiated;
    private Gathering gathering = Gathering.NOT_STARTED;
    private final List<IceCandidate> localCandidates = new ArrayList<>();
    private final Map<Integer, String> componentStates = new TreeMap<>();
    private final List<RemoteCandidate> remoteCandidates = new ArrayList<>();
    private boolean checksStarted;
    private IceCandidate selectedLocal;
    private IceCandidate selectedRemote;
    private String connectionState = "DISCONNECTED";
    private String mediaState = "DISCONNECTED";
    private boolean peerMedia;
    private boolean peerLost;
    private boolean stalled;
    /** Counts stalls, so that the timers of one that ended leave the next alone. */
    private int stalls;
    private boolean closed;

    public WebRtcSession(SdpNegotiator.Capabilities capabilities, String fingerprint, String address, Scheduler scheduler,
            MediaTimings timings, BooleanSupplier peersUnreachable, RandomGenerator random, Listener listener) {
        this.capabilities = capabilities;
        this.address = address;
        this.scheduler = scheduler;
        this.timings = timings;
        this.peersUnreachable = peersUnreachable;
        this.random = random;
        this.listener = listener;
        this.identity = new SdpNegotiator.LocalIdentity(randomText(4), randomText(22), fingerprint,
                "user" + Integer.toUnsignedString(random.nextInt()) + "@host-" + String.format("%08x", random.nextInt()));
    }

    public String processOffer(String offer) {
        requireNotNegotiated();
        Sdp parsed = Sdp.parse(offer);
        local = SdpNegotiator.answer(parsed, identity, capabilities, sessionVersion(), this::ssrc);
        remote = parsed;
        negotiated = true;
        maybeStartChecks();
        return local.render();
    }

    public String generateOffer(boolean audio, boolean video) {
        requireNotNegotiated();
        local = SdpNegotiator.offer(identity, capabilities, audio, video, sessionVersion(), this::ssrc);
        offerGenerated = true;
        return local.render();
    }

    public String processAnswer(String answer) {
        if (!offerGenerated) {
            throw KmsException.of(KmsError.SDP_END_POINT_NOT_OFFER_GENERATED, "Offer not generated. It is not possible to process an answer.");
        }
        if (negotiated) {
            throw KmsException.of(KmsError.SDP_END_POINT_ANSWER_ALREADY_PROCCESED, "Sdp Answer already processed");
        }
        remote = Sdp.parse(answer);
        negotiated = true;
        maybeStartChecks();
        return localDescriptor();
    }

    public String localDescriptor() {
        if (local == null) {
            throw KmsException.of(KmsError.SDP_END_POINT_NO_LOCAL_SDP_ERROR, "Local SDP not generated");
        }
        if (gathering != Gathering.DONE) {
            return local.render();
        }
        List<String> lines = localCandidates.stream().map(candidate -> "a=" + candidate).toList();
        int defaultPort = localCandidates.stream().filter(candidate -> candidate.component() == RTP_COMPONENT)
                .reduce((first, second) -> second).map(IceCandidate::port).orElse(9);
        return SdpNegotiator.withCandidates(local, address, defaultPort, lines).render();
    }

    public String remoteDescriptor() {
        if (remote == null) {
            throw KmsException.of(KmsError.SDP_END_POINT_NO_REMOTE_SDP_ERROR, "Remote SDP not received");
        }
        List<Sdp.Section> sections = new ArrayList<>();
        for (int i = 0; i < remote.sections().size(); i++) {
            Sdp.Section section = remote.sections().get(i);
            List<String> lines = new ArrayList<>(section.lines());
            for (RemoteCandidate added : remoteCandidates) {
                if (remote.sectionFor(added.sdpMid(), added.sdpMLineIndex()) == i) {
                    lines.add(added.line().startsWith("a=") ? added.line() : "a=" + added.line());
                }
            }
            sections.add(section.withLines(lines));
        }
        return new Sdp(remote.sessionLines(), sections).render();
    }

    public void gatherCandidates() {
        if (local == null) {
            throw KmsException.of(KmsError.ICE_GATHER_CANDIDATES_ERROR, "Error gathering candidates");
        }
        if (gathering != Gathering.NOT_STARTED) {
            return;
        }
        gathering = Gathering.GATHERING;
        componentStates.put(1, "GATHERING");
        componentStates.put(2, "GATHERING");
        // KMS reports the first component before it answers the call, the rest once libnice is done.
        listener.iceComponentStateChanged(1, "GATHERING");
        scheduler.after(timings.gathering(), () -> {
            if (closed) {
                return;
            }
            listener.iceComponentStateChanged(2, "GATHERING");
            for (int component = 1; component <= 2; component++) {
                int udpPort = port();
                int tcpPort = port();
                List<IceCandidate> found = List.of(
                        IceCandidate.host(1, component, "UDP", address, udpPort, null),
                        IceCandidate.host(2, component, "TCP", address, 9, "active"),
                        IceCandidate.host(3, component, "TCP", address, tcpPort, "passive"));
                for (IceCandidate candidate : found) {
                    localCandidates.add(candidate);
                    // Even with BUNDLE, KMS announces every candidate once per media section.
                    for (int index = 0; index < local.sections().size(); index++) {
                        Sdp.Section section = local.sections().get(index);
                        if (!section.rejected()) {
                            listener.iceCandidateFound(section.mid() == null ? String.valueOf(index) : section.mid(), index, candidate);
                        }
                    }
                }
            }
            gathering = Gathering.DONE;
            listener.iceGatheringDone();
            maybeStartChecks();
        });
    }

    public void addIceCandidate(String line, String sdpMid, int sdpMLineIndex) {
        if (line == null || line.isEmpty()) {
            return; // end-of-candidates, which KMS ignores
        }
        IceCandidate.parse(line).ifPresent(candidate -> {
            remoteCandidates.add(new RemoteCandidate(line, sdpMid, sdpMLineIndex, candidate));
            maybeStartChecks();
        });
    }

    /** The remote peer vanished without a word (page closed, network gone): its media stops, ICE does not notice. */
    public void peerLost() {
        if (peerLost) {
            return;
        }
        peerLost = true;
        scheduler.after(timings.flowTimeout(), () -> {
            if (!closed && peerMedia) {
                peerMedia = false;
                listener.peerMediaChanged();
            }
        });
        scheduler.after(timings.mediaStateTimeout(), () -> {
            if (!closed && mediaState.equals("CONNECTED")) {
                setMediaState("DISCONNECTED");
            }
        });
    }

    /**
     * The network between the peer and the endpoint stalls: nothing arrives, as with {@link #peerLost()}, so
     * the flows go NOT_FLOWING after the flow timeout and the media state DISCONNECTED after its own. When it
     * recovers, the peer's media arrives again at once (FLOWING), and RTCP makes the media state CONNECTED
     * again. ICE notices neither.
     */
    public void stall(boolean stall) {
        if (peerLost || closed || stalled == stall) {
            return;
        }
        stalled = stall;
        int current = ++stalls;
        if (stalled) {
            scheduler.after(timings.flowTimeout(), () -> {
                if (!closed && stalls == current && peerMedia) {
                    peerMedia = false;
                    listener.peerMediaChanged();
                }
            });
            scheduler.after(timings.mediaStateTimeout(), () -> {
                if (!closed && stalls == current && mediaState.equals("CONNECTED")) {
                    setMediaState("DISCONNECTED");
                }
            });
        } else if (connectionState.equals("CONNECTED")) {
            startMedia();
        }
    }

    public void close() {
        closed = true;
    }

    /** The kinds of media arriving from the peer right now. */
    public Set<MediaType> receivedMedia() {
        Set<MediaType> kinds = EnumSet.noneOf(MediaType.class);
        if (!peerMedia || remote == null || local == null) {
            return kinds;
        }
        for (int i = 0; i < remote.sections().size() && i < local.sections().size(); i++) {
            Sdp.Section theirs = remote.sections().get(i);
            MediaType type = MediaType.ofSdpMedia(theirs.media());
            if (type != null && !local.sections().get(i).rejected() && SdpNegotiator.peerSends(theirs)
                    && !capabilities.sendonly()) {
                kinds.add(type);
            }
        }
        return kinds;
    }

    public String connectionState() {
        return connectionState;
    }

    public String mediaState() {
        return mediaState;
    }

    public ArrayNode iceConnections() {
        ArrayNode connections = Json.array();
        componentStates.forEach((component, state) -> connections.add(Json.complex("IceConnection")
                .put("componentId", component).put("state", state).put("streamId", "1")));
        return connections;
    }

    public ArrayNode candidatePairs() {
        ArrayNode pairs = Json.array();
        if (selectedLocal != null) {
            pairs.add(candidatePair(selectedLocal, selectedRemote));
        }
        return pairs;
    }

    public static ObjectNode candidatePair(IceCandidate local, IceCandidate remote) {
        return Json.complex("IceCandidatePair").put("componentId", RTP_COMPONENT)
                .put("localCandidate", local.toString()).put("remoteCandidate", remote.toString()).put("streamId", "1");
    }

    private void maybeStartChecks() {
        if (checksStarted || closed || !negotiated || gathering != Gathering.DONE || remoteCandidates.isEmpty()) {
            return;
        }
        checksStarted = true;
        scheduler.after(Duration.ZERO, () -> {
            if (closed) {
                return;
            }
            setComponentState("CONNECTING");
            if (peersUnreachable.getAsBoolean()) {
                return; // as with a dead candidate on KMS: CONNECTING, then nothing, not even FAILED
            }
            scheduler.after(timings.iceConnection(), this::connected);
        });
    }

    private void connected() {
        if (closed) {
            return;
        }
        selectedLocal = localCandidates.stream().filter(c -> c.component() == RTP_COMPONENT && c.transport().equals("UDP"))
                .findFirst().orElse(localCandidates.getFirst());
        selectedRemote = remoteCandidates.stream().map(RemoteCandidate::candidate)
                .filter(c -> c.component() == RTP_COMPONENT).findFirst().orElse(remoteCandidates.getFirst().candidate());
        listener.newCandidatePairSelected(selectedLocal, selectedRemote);
        setComponentState("CONNECTED");
        setComponentState("READY");
        connectionState = "CONNECTED";
        listener.connectionStateChanged("DISCONNECTED", "CONNECTED");
        scheduler.after(timings.mediaStart(), this::startMedia);
    }

    /** RTP from the peer arrives; RTCP follows and makes the media state CONNECTED. */
    private void startMedia() {
        if (closed || peerLost || stalled) {
            return;
        }
        if (!peerMedia) {
            peerMedia = true;
            listener.peerMediaChanged();
        }
        if (mediaState.equals("CONNECTED")) {
            return;
        }
        int current = stalls;
        scheduler.after(timings.mediaStateConnected(), () -> {
            if (!closed && !peerLost && stalls == current && !mediaState.equals("CONNECTED")) {
                setMediaState("CONNECTED");
            }
        });
    }

    private void setComponentState(String state) {
        componentStates.put(RTP_COMPONENT, state);
        listener.iceComponentStateChanged(RTP_COMPONENT, state);
    }

    private void setMediaState(String state) {
        String old = mediaState;
        mediaState = state;
        listener.mediaStateChanged(old, state);
    }

    private void requireNotNegotiated() {
        if (negotiated || offerGenerated) {
            throw KmsException.of(KmsError.SDP_END_POINT_ALREADY_NEGOTIATED, "Endpoint already negotiated");
        }
    }

    private long sessionVersion() {
        return scheduler.nowMillis() / 1000 + NTP_EPOCH_OFFSET;
    }

    private long ssrc() {
        return Integer.toUnsignedLong(random.nextInt());
    }

    private int port() {
        return random.nextInt(1024, 65536);
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return text.toString();
    }
}
