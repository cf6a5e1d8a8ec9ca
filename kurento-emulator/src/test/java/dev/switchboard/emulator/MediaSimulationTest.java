package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.ConnectionState;
import org.kurento.client.ConnectionStateChangedEvent;
import org.kurento.client.IceComponentState;
import org.kurento.client.IceComponentStateChangedEvent;
import org.kurento.client.IceConnection;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaFlowInStateChangedEvent;
import org.kurento.client.MediaFlowOutStateChangedEvent;
import org.kurento.client.MediaFlowState;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaState;
import org.kurento.client.MediaStateChangedEvent;
import org.kurento.client.MediaTranscodingStateChangedEvent;
import org.kurento.client.MediaType;
import org.kurento.client.NewCandidatePairSelectedEvent;
import org.kurento.client.PassThrough;
import org.kurento.client.WebRtcEndpoint;

/**
 * The simulated peer: once an endpoint has both descriptions, has gathered, and has a remote
 * candidate, ICE connects and the peer's media flows to whatever the endpoint is connected to.
 */
class MediaSimulationTest {

    private KurentoEmulator emulator;
    private KurentoClient kurento;
    private MediaPipeline pipeline;

    @BeforeEach
    void start() {
        emulator = KurentoEmulator.start(EmulatorSettings.defaults().withMedia(MediaTimings.fast()));
        kurento = Kms.client(emulator);
        pipeline = kurento.createMediaPipeline();
    }

    @AfterEach
    void stop() {
        kurento.destroy();
        emulator.close();
    }

    @Test
    void publisherConnectsAndItsMediaReachesTheSubscriber() {
        WebRtcEndpoint publisher = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint subscriber = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<IceComponentStateChangedEvent> ice = Kms.Recorder.on(publisher::addIceComponentStateChangedListener);
        Kms.Recorder<NewCandidatePairSelectedEvent> pairs = Kms.Recorder.on(publisher::addNewCandidatePairSelectedListener);
        Kms.Recorder<ConnectionStateChangedEvent> connection = Kms.Recorder.on(publisher::addConnectionStateChangedListener);
        Kms.Recorder<MediaStateChangedEvent> mediaState = Kms.Recorder.on(publisher::addMediaStateChangedListener);
        Kms.Recorder<MediaFlowOutStateChangedEvent> flowOut = Kms.Recorder.on(publisher::addMediaFlowOutStateChangedListener);
        Kms.Recorder<MediaTranscodingStateChangedEvent> transcoding = Kms.Recorder.on(publisher::addMediaTranscodingStateChangedListener);
        Kms.Recorder<MediaFlowInStateChangedEvent> flowIn = Kms.Recorder.on(subscriber::addMediaFlowInStateChangedListener);
        publisher.connect(subscriber);

        publisher.processOffer(Kms.chromiumOffer());
        publisher.gatherCandidates();
        publisher.addIceCandidate(Kms.BROWSER_CANDIDATE);

        await().until(() -> mediaState.events().size() == 1);
        assertThat(ice.events()).extracting(IceComponentStateChangedEvent::getComponentId, IceComponentStateChangedEvent::getState)
                .contains(tuple(1, IceComponentState.CONNECTING), tuple(1, IceComponentState.CONNECTED), tuple(1, IceComponentState.READY));
        assertThat(pairs.events()).singleElement().satisfies(event -> {
            assertThat(event.getCandidatePair().getLocalCandidate()).startsWith("candidate:1 1 UDP 2015364095 127.0.0.1 ");
            assertThat(event.getCandidatePair().getRemoteCandidate()).isEqualTo("candidate:3563417340 1 UDP 2113937151 127.0.0.1 50000 typ host");
        });
        assertThat(connection.events()).extracting(ConnectionStateChangedEvent::getOldState, ConnectionStateChangedEvent::getNewState)
                .containsExactly(tuple(ConnectionState.DISCONNECTED, ConnectionState.CONNECTED));
        assertThat(mediaState.events()).extracting(MediaStateChangedEvent::getNewState).containsExactly(MediaState.CONNECTED);
        assertThat(flowOut.events()).extracting(MediaFlowOutStateChangedEvent::getMediaType, MediaFlowOutStateChangedEvent::getState)
                .containsExactlyInAnyOrder(tuple(MediaType.AUDIO, MediaFlowState.FLOWING), tuple(MediaType.VIDEO, MediaFlowState.FLOWING));
        assertThat(transcoding.events()).hasSize(2);
        assertThat(flowIn.events()).extracting(MediaFlowInStateChangedEvent::getMediaType, MediaFlowInStateChangedEvent::getState)
                .containsExactlyInAnyOrder(tuple(MediaType.AUDIO, MediaFlowState.FLOWING), tuple(MediaType.VIDEO, MediaFlowState.FLOWING));

        assertThat(publisher.getMediaState()).isEqualTo(MediaState.CONNECTED);
        assertThat(publisher.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(publisher.isMediaFlowingOut(MediaType.VIDEO)).isTrue();
        assertThat(publisher.isMediaFlowingIn(MediaType.VIDEO)).isFalse();
        assertThat(subscriber.isMediaFlowingIn(MediaType.AUDIO)).isTrue();
        assertThat(publisher.getIceConnectionState()).extracting(IceConnection::getComponentId, IceConnection::getState)
                .containsExactly(tuple(1, IceComponentState.READY), tuple(2, IceComponentState.GATHERING));
        assertThat(publisher.getICECandidatePairs()).hasSize(1);
    }

    @Test
    void flowStopsWhenTheSourceIsDisconnectedOrReleased() {
        WebRtcEndpoint publisher = connectedPublisher();
        WebRtcEndpoint subscriber = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<MediaFlowInStateChangedEvent> flowIn = Kms.Recorder.on(subscriber::addMediaFlowInStateChangedListener);
        Kms.Recorder<MediaFlowOutStateChangedEvent> flowOut = Kms.Recorder.on(publisher::addMediaFlowOutStateChangedListener);

        publisher.connect(subscriber);
        await().until(() -> subscriber.isMediaFlowingIn(MediaType.VIDEO));
        publisher.disconnect(subscriber);
        await().until(() -> !subscriber.isMediaFlowingIn(MediaType.VIDEO));
        assertThat(publisher.isMediaFlowingOut(MediaType.VIDEO)).as("nothing connected to send to").isFalse();

        publisher.connect(subscriber);
        await().until(() -> subscriber.isMediaFlowingIn(MediaType.AUDIO));
        publisher.release();
        await().until(() -> !subscriber.isMediaFlowingIn(MediaType.AUDIO));

        assertThat(flowIn.events()).extracting(MediaFlowInStateChangedEvent::getMediaType, MediaFlowInStateChangedEvent::getState)
                .containsExactlyInAnyOrder(
                        tuple(MediaType.AUDIO, MediaFlowState.FLOWING), tuple(MediaType.VIDEO, MediaFlowState.FLOWING),
                        tuple(MediaType.AUDIO, MediaFlowState.NOT_FLOWING), tuple(MediaType.VIDEO, MediaFlowState.NOT_FLOWING),
                        tuple(MediaType.AUDIO, MediaFlowState.FLOWING), tuple(MediaType.VIDEO, MediaFlowState.FLOWING),
                        tuple(MediaType.AUDIO, MediaFlowState.NOT_FLOWING), tuple(MediaType.VIDEO, MediaFlowState.NOT_FLOWING));
        assertThat(flowOut.events()).extracting(MediaFlowOutStateChangedEvent::getState)
                .contains(MediaFlowState.FLOWING, MediaFlowState.NOT_FLOWING);
    }

    @Test
    void aPassThroughRelaysWhatReachesIt() {
        WebRtcEndpoint publisher = connectedPublisher();
        PassThrough relay = new PassThrough.Builder(pipeline).build();
        WebRtcEndpoint subscriber = new WebRtcEndpoint.Builder(pipeline).build();

        publisher.connect(relay);
        relay.connect(subscriber, MediaType.AUDIO);

        await().until(() -> subscriber.isMediaFlowingIn(MediaType.AUDIO));
        assertThat(relay.isMediaFlowingIn(MediaType.VIDEO)).isTrue();
        assertThat(relay.isMediaFlowingOut(MediaType.AUDIO)).isTrue();
        assertThat(relay.isMediaFlowingOut(MediaType.VIDEO)).as("only audio goes on").isFalse();
        assertThat(subscriber.isMediaFlowingIn(MediaType.VIDEO)).isFalse();
    }

    @Test
    void onlyTheMediaThePeerSendsFlows() {
        String audioOnly = Kms.chromiumOffer().substring(0, Kms.chromiumOffer().indexOf("m=video"))
                .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
        WebRtcEndpoint publisher = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint subscriber = new WebRtcEndpoint.Builder(pipeline).build();
        publisher.connect(subscriber);
        publisher.processOffer(audioOnly);
        publisher.gatherCandidates();
        publisher.addIceCandidate(Kms.BROWSER_CANDIDATE);

        await().until(() -> subscriber.isMediaFlowingIn(MediaType.AUDIO));
        assertThat(subscriber.isMediaFlowingIn(MediaType.VIDEO)).isFalse();
    }

    @Test
    void aVanishedPeerStopsTheFlowThenTheMediaState() {
        WebRtcEndpoint publisher = connectedPublisher();
        WebRtcEndpoint subscriber = receiving(publisher);
        Kms.Recorder<MediaStateChangedEvent> mediaState = Kms.Recorder.on(publisher::addMediaStateChangedListener);

        emulator.peerLost(publisher.getId());

        await().until(() -> !subscriber.isMediaFlowingIn(MediaType.VIDEO));
        await().until(() -> mediaState.events().size() == 1);
        assertThat(mediaState.events().getFirst().getNewState()).isEqualTo(MediaState.DISCONNECTED);
        assertThat(publisher.getMediaState()).isEqualTo(MediaState.DISCONNECTED);
        assertThat(publisher.getConnectionState()).as("as on KMS, ICE does not notice").isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aStalledNetworkStopsTheMediaUntilItRecovers() {
        WebRtcEndpoint publisher = connectedPublisher();
        WebRtcEndpoint subscriber = receiving(publisher);
        Kms.Recorder<MediaStateChangedEvent> mediaState = Kms.Recorder.on(publisher::addMediaStateChangedListener);
        Kms.Recorder<MediaFlowOutStateChangedEvent> flowOut = Kms.Recorder.on(publisher::addMediaFlowOutStateChangedListener);
        Kms.Recorder<MediaFlowInStateChangedEvent> flowIn = Kms.Recorder.on(subscriber::addMediaFlowInStateChangedListener);

        emulator.peerStalled(publisher.getId(), true);
        await().until(() -> mediaState.events().size() == 1);
        emulator.peerStalled(publisher.getId(), false);
        await().until(() -> mediaState.events().size() == 2);

        assertThat(mediaState.events()).extracting(MediaStateChangedEvent::getNewState)
                .containsExactly(MediaState.DISCONNECTED, MediaState.CONNECTED);
        assertThat(flowIn.events()).extracting(MediaFlowInStateChangedEvent::getMediaType, MediaFlowInStateChangedEvent::getState)
                .containsExactlyInAnyOrder(
                        tuple(MediaType.AUDIO, MediaFlowState.NOT_FLOWING), tuple(MediaType.VIDEO, MediaFlowState.NOT_FLOWING),
                        tuple(MediaType.AUDIO, MediaFlowState.FLOWING), tuple(MediaType.VIDEO, MediaFlowState.FLOWING));
        assertThat(flowOut.events()).extracting(MediaFlowOutStateChangedEvent::getState)
                .containsExactly(MediaFlowState.NOT_FLOWING, MediaFlowState.NOT_FLOWING, MediaFlowState.FLOWING, MediaFlowState.FLOWING);
        assertThat(publisher.getConnectionState()).as("as on KMS, ICE does not notice").isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aStallShorterThanTheFlowTimeoutGoesUnnoticed() {
        WebRtcEndpoint publisher = connectedPublisher();
        WebRtcEndpoint subscriber = receiving(publisher);
        Kms.Recorder<MediaFlowInStateChangedEvent> flowIn = Kms.Recorder.on(subscriber::addMediaFlowInStateChangedListener);

        emulator.peerStalled(publisher.getId(), true);
        emulator.peerStalled(publisher.getId(), false);

        // Past the flow timeout of the stall that ended: its timer must not stop the media that came back.
        await().during(Duration.ofMillis(100)).until(() -> subscriber.isMediaFlowingIn(MediaType.VIDEO));
        assertThat(flowIn.events()).isEmpty();
        assertThat(publisher.getMediaState()).isEqualTo(MediaState.CONNECTED);
    }

    @Test
    void unreachableCandidatesNeverConnect() {
        emulator.unreachableCandidates(true);
        WebRtcEndpoint publisher = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<IceComponentStateChangedEvent> ice = Kms.Recorder.on(publisher::addIceComponentStateChangedListener);
        publisher.processOffer(Kms.chromiumOffer());
        publisher.gatherCandidates();
        publisher.addIceCandidate(Kms.BROWSER_CANDIDATE);

        await().until(() -> ice.events().stream().anyMatch(event -> event.getState() == IceComponentState.CONNECTING));
        await().during(Duration.ofMillis(200)).until(() -> publisher.getConnectionState() == ConnectionState.DISCONNECTED);
        assertThat(publisher.getMediaState()).isEqualTo(MediaState.DISCONNECTED);
        assertThat(ice.events()).extracting(IceComponentStateChangedEvent::getState).doesNotContain(IceComponentState.CONNECTED);
    }

    @Test
    void candidatesMayArriveBeforeTheOffer() {
        WebRtcEndpoint publisher = new WebRtcEndpoint.Builder(pipeline).build();
        publisher.addIceCandidate(Kms.BROWSER_CANDIDATE);
        publisher.processOffer(Kms.chromiumOffer());
        publisher.gatherCandidates();

        await().until(() -> publisher.getConnectionState() == ConnectionState.CONNECTED);
        assertThat(publisher.getRemoteSessionDescriptor()).contains("a=candidate:3563417340 1 udp");
    }

    /** A WebRtcEndpoint connected to the publisher, once the publisher's media reaches it and RTCP is seen. */
    private WebRtcEndpoint receiving(WebRtcEndpoint publisher) {
        WebRtcEndpoint subscriber = new WebRtcEndpoint.Builder(pipeline).build();
        publisher.connect(subscriber);
        await().until(() -> publisher.getMediaState() == MediaState.CONNECTED && subscriber.isMediaFlowingIn(MediaType.VIDEO));
        return subscriber;
    }

    /** A WebRtcEndpoint whose browser has connected and is sending audio and video. */
    private WebRtcEndpoint connectedPublisher() {
        WebRtcEndpoint publisher = new WebRtcEndpoint.Builder(pipeline).build();
        publisher.processOffer(Kms.chromiumOffer());
        publisher.gatherCandidates();
        publisher.addIceCandidate(Kms.BROWSER_CANDIDATE);
        await().until(() -> publisher.getConnectionState() == ConnectionState.CONNECTED);
        return publisher;
    }
}
