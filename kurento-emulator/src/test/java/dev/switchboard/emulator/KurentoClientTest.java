package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kurento.client.ElementConnectedEvent;
import org.kurento.client.ElementConnectionData;
import org.kurento.client.ElementDisconnectedEvent;
import org.kurento.client.ErrorEvent;
import org.kurento.client.IceCandidateFoundEvent;
import org.kurento.client.IceComponentState;
import org.kurento.client.IceComponentStateChangedEvent;
import org.kurento.client.IceGatheringDoneEvent;
import org.kurento.client.KurentoClient;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.MediaState;
import org.kurento.client.MediaType;
import org.kurento.client.ObjectCreatedEvent;
import org.kurento.client.ObjectDestroyedEvent;
import org.kurento.client.PassThrough;
import org.kurento.client.ServerInfo;
import org.kurento.client.ServerManager;
import org.kurento.client.Tag;
import org.kurento.client.Transaction;
import org.kurento.client.WebRtcEndpoint;
import org.kurento.client.internal.server.KurentoServerException;

/** The API surface the services use, through the real Kurento Java client. */
class KurentoClientTest {

    private static KurentoEmulator emulator;
    private static KurentoClient kurento;
    private MediaPipeline pipeline;

    @BeforeAll
    static void start() {
        emulator = KurentoEmulator.start(EmulatorSettings.defaults().withMedia(MediaTimings.fast()));
        kurento = Kms.client(emulator);
    }

    @AfterAll
    static void stop() {
        kurento.destroy();
        emulator.close();
    }

    @BeforeEach
    void createPipeline() {
        pipeline = kurento.createMediaPipeline();
    }

    @AfterEach
    void releasePipeline() {
        pipeline.release();
        assertThat(emulator.objects()).as("nothing left behind").isEmpty();
    }

    @Test
    void objectsKnowTheirFamily() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        PassThrough passThrough = new PassThrough.Builder(pipeline).build();

        assertThat(pipeline.getId()).matches("[0-9a-f-]{36}_kurento\\.MediaPipeline");
        assertThat(endpoint.getId()).startsWith(pipeline.getId() + "/").endsWith("_kurento.WebRtcEndpoint");
        assertThat(pipeline.getChildren()).extracting(MediaObject::getId)
                .containsExactlyInAnyOrder(endpoint.getId(), passThrough.getId());
        assertThat(endpoint.getMediaPipeline().getId()).isEqualTo(pipeline.getId());
        assertThat(endpoint.getParent().getId()).isEqualTo(pipeline.getId());
        assertThat(endpoint.getCreationTime()).isPositive();

        passThrough.release();
        assertThat(pipeline.getChildren()).extracting(MediaObject::getId).containsExactly(endpoint.getId());
        assertThat(emulator.objects()).extracting(EmulatedObject::type).containsExactlyInAnyOrder("MediaPipeline", "WebRtcEndpoint");
    }

    @Test
    void namesAndTags() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        assertThat(endpoint.getName()).isEqualTo(endpoint.getId());
        endpoint.setName("publisher");
        assertThat(endpoint.getName()).isEqualTo("publisher");

        endpoint.addTag("room", "r1");
        endpoint.addTag("participant", "p1");
        assertThat(endpoint.getTag("room")).isEqualTo("r1");
        assertThat(endpoint.getTags()).extracting(Tag::getKey, Tag::getValue)
                .containsExactly(tuple("participant", "p1"), tuple("room", "r1"));
        assertThat(emulator.objects()).filteredOn(object -> object.id().equals(endpoint.getId()))
                .singleElement().extracting(EmulatedObject::tags).isEqualTo(Map.of("room", "r1", "participant", "p1"));
        assertThatThrownBy(() -> endpoint.getTag("missing"))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40110);
                    assertThat(error.getData()).contains("MEDIA_OBJECT_TAG_KEY_NOT_FOUND");
                });

        endpoint.removeTag("room");
        assertThat(endpoint.getTags()).extracting(Tag::getKey).containsExactly("participant");
    }

    @Test
    void propertiesKeepKmsDefaultsAndTakeNewValues() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        assertThat(endpoint.getStunServerAddress()).isEmpty();
        assertThat(endpoint.getMaxVideoSendBandwidth()).isEqualTo(500);
        assertThat(endpoint.getMinVideoRecvBandwidth()).isEqualTo(100);
        assertThat(endpoint.getMtu()).isEqualTo(1200);
        endpoint.setMaxVideoSendBandwidth(2000);
        endpoint.setStunServerAddress("198.51.100.7");
        assertThat(endpoint.getMaxVideoSendBandwidth()).isEqualTo(2000);
        assertThat(endpoint.getStunServerAddress()).isEqualTo("198.51.100.7");
        assertThat(pipeline.getLatencyStats()).isFalse();
        assertThat(pipeline.getGstreamerDot()).startsWith("digraph pipeline {");
    }

    @Test
    void answersAChromiumOfferAsKmsDoes() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        String answer = endpoint.processOffer(Kms.chromiumOffer());

        assertThat(TraceMatcher.normalize(answer)).isEqualTo(TraceMatcher.normalize(Kms.kmsAnswer()));
        assertThat(endpoint.getRemoteSessionDescriptor()).isEqualTo(Kms.chromiumOffer());
        assertThat(endpoint.getLocalSessionDescriptor()).isEqualTo(answer);
        assertThatThrownBy(() -> endpoint.processOffer(Kms.chromiumOffer()))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40208));
        assertThatThrownBy(endpoint::generateOffer)
                .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40208));
    }

    @Test
    void generatesOffersAndTakesAnswers() {
        WebRtcEndpoint offerer = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint answerer = new WebRtcEndpoint.Builder(pipeline).build();
        assertThatThrownBy(() -> offerer.processAnswer(Kms.kmsAnswer()))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40209));

        String offer = offerer.generateOffer();
        assertThat(offer).contains("a=setup:actpass", "a=group:BUNDLE 0 1", "m=audio", "m=video");
        String answer = answerer.processOffer(offer);
        assertThat(answer).contains("a=setup:active");
        assertThat(offerer.processAnswer(answer)).isEqualTo(offerer.getLocalSessionDescriptor());
        assertThat(offerer.getRemoteSessionDescriptor()).isEqualTo(answer);
    }

    @Test
    void rejectsWhatIsNotSdp() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        assertThatThrownBy(() -> endpoint.processOffer("this is not sdp"))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40201);
                    assertThat(error.getServerMessage()).isEqualTo("Invalid SDP");
                });
    }

    @Test
    void gathersCandidatesPerComponentAndMediaSection() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<IceCandidateFoundEvent> found = Kms.Recorder.on(endpoint::addIceCandidateFoundListener);
        Kms.Recorder<IceGatheringDoneEvent> done = Kms.Recorder.on(endpoint::addIceGatheringDoneListener);
        Kms.Recorder<IceComponentStateChangedEvent> states = Kms.Recorder.on(endpoint::addIceComponentStateChangedListener);
        endpoint.processOffer(Kms.chromiumOffer());

        endpoint.gatherCandidates();

        await().until(() -> done.events().size() == 1);
        assertThat(found.events()).hasSize(12);
        assertThat(found.events()).extracting(event -> event.getCandidate().getSdpMid()).containsOnly("0", "1");
        assertThat(found.events()).extracting(event -> event.getCandidate().getCandidate())
                .anyMatch(candidate -> candidate.matches("candidate:1 1 UDP 2015364095 127\\.0\\.0\\.1 \\d+ typ host"))
                .anyMatch(candidate -> candidate.equals("candidate:2 2 TCP 1015022590 127.0.0.1 9 typ host tcptype active"))
                .anyMatch(candidate -> candidate.matches("candidate:3 2 TCP 1010828286 127\\.0\\.0\\.1 \\d+ typ host tcptype passive"));
        assertThat(states.events()).extracting(IceComponentStateChangedEvent::getComponentId, IceComponentStateChangedEvent::getState)
                .containsExactlyInAnyOrder(tuple(1, IceComponentState.GATHERING),
                        tuple(2, IceComponentState.GATHERING));
        assertThat(endpoint.getLocalSessionDescriptor()).contains("c=IN IP4 127.0.0.1", "a=candidate:3 1 TCP");
        assertThat(endpoint.getMediaState()).isEqualTo(MediaState.DISCONNECTED);
    }

    @Test
    void cannotGatherBeforeNegotiating() {
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        assertThatThrownBy(endpoint::gatherCandidates)
                .isInstanceOfSatisfying(KurentoServerException.class, error -> assertThat(error.getCode()).isEqualTo(40400));
    }

    @Test
    void connectionsAndTheirEvents() {
        WebRtcEndpoint source = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint sink = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<ElementConnectedEvent> connected = Kms.Recorder.on(source::addElementConnectedListener);
        Kms.Recorder<ElementConnectedEvent> sinkConnected = Kms.Recorder.on(sink::addElementConnectedListener);
        Kms.Recorder<ElementDisconnectedEvent> disconnected = Kms.Recorder.on(source::addElementDisconnectedListener);

        source.connect(sink);

        await().until(() -> connected.events().size() == 3);
        assertThat(connected.events()).extracting(ElementConnectedEvent::getMediaType)
                .containsExactlyInAnyOrder(MediaType.AUDIO, MediaType.VIDEO, MediaType.DATA);
        assertThat(connected.events()).allSatisfy(event -> assertThat(event.getSink().getId()).isEqualTo(sink.getId()));
        assertThat(sinkConnected.events()).as("KMS tells only the source").isEmpty();
        assertThat(source.getSinkConnections()).extracting(ElementConnectionData::getType)
                .containsExactly(MediaType.AUDIO, MediaType.DATA, MediaType.VIDEO);
        assertThat(sink.getSourceConnections(MediaType.VIDEO)).singleElement()
                .satisfies(data -> assertThat(data.getSource().getId()).isEqualTo(source.getId()));

        source.disconnect(sink, MediaType.VIDEO);
        await().until(() -> disconnected.events().size() == 1);
        assertThat(source.getSinkConnections()).extracting(ElementConnectionData::getType).containsExactly(MediaType.AUDIO, MediaType.DATA);

        MediaPipeline other = kurento.createMediaPipeline();
        WebRtcEndpoint elsewhere = new WebRtcEndpoint.Builder(other).build();
        assertThatThrownBy(() -> source.connect(elsewhere))
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40004);
                    assertThat(error.getServerMessage()).isEqualTo("Media elements do not share pipeline");
                });
        other.release();
    }

    @Test
    void serverManagerReportsPipelinesSessionsAndObjectLifecycle() {
        ServerManager manager = kurento.getServerManager();
        Kms.Recorder<ObjectCreatedEvent> created = Kms.Recorder.on(manager::addObjectCreatedListener);
        Kms.Recorder<ObjectDestroyedEvent> destroyed = Kms.Recorder.on(manager::addObjectDestroyedListener);

        ServerInfo info = manager.getInfo();
        assertThat(info.getVersion()).startsWith("7.");
        assertThat(info.getCapabilities()).containsExactly("transactions");
        assertThat(info.getModules()).flatExtracting(module -> module.getFactories())
                .contains("MediaPipeline", "WebRtcEndpoint", "PassThrough");
        assertThat(manager.getPipelines()).extracting(MediaObject::getId).contains(pipeline.getId());
        assertThat(manager.getSessions()).contains(kurento.getSessionId());
        assertThat(manager.getUsedMemory()).isPositive();
        assertThat(manager.getName()).isEqualTo("manager_ServerManager");

        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
        await().until(() -> created.events().size() == 1);
        assertThat(created.events().getFirst().getObject().getId()).isEqualTo(endpoint.getId());
        endpoint.release();
        await().until(() -> destroyed.events().size() == 1);
        assertThat(destroyed.events().getFirst().getObjectId()).isEqualTo(endpoint.getId());
    }

    @Test
    void unsubscribedListenersHearNothingMore() {
        WebRtcEndpoint source = new WebRtcEndpoint.Builder(pipeline).build();
        WebRtcEndpoint sink = new WebRtcEndpoint.Builder(pipeline).build();
        Kms.Recorder<ElementConnectedEvent> kept = Kms.Recorder.on(source::addElementConnectedListener);
        Kms.Recorder<ElementConnectedEvent> dropped = new Kms.Recorder<>();
        ListenerSubscription subscription = source.addElementConnectedListener(dropped);
        source.removeElementConnectedListener(subscription);

        source.connect(sink, MediaType.AUDIO);

        await().until(() -> kept.events().size() == 1);
        assertThat(dropped.events()).isEmpty();
    }

    @Test
    void errorEventsReachSubscribers() {
        Kms.Recorder<ErrorEvent> errors = Kms.Recorder.on(pipeline::addErrorListener);
        emulator.raiseError(pipeline.getId(), "STREAM_ERROR_FAILED", "Simulated failure", 3);
        await().until(() -> errors.events().size() == 1);
        ErrorEvent error = errors.events().getFirst();
        assertThat(error.getType()).isEqualTo("STREAM_ERROR_FAILED");
        assertThat(error.getDescription()).isEqualTo("Simulated failure");
        assertThat(error.getErrorCode()).isEqualTo(3);
    }

    @Test
    void transactionsCreateTogether() throws InterruptedException {
        Transaction transaction = kurento.beginTransaction();
        MediaPipeline second = kurento.createMediaPipeline(transaction);
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(second).build(transaction);
        transaction.commit();
        endpoint.waitCommited();

        assertThat(endpoint.getId()).startsWith(second.getId() + "/");
        assertThat(endpoint.getMediaPipeline().getId()).isEqualTo(second.getId());
        second.release();
    }

    /** As on KMS, subscriptions are not operations of a transaction: what the endpoint says before one is made is lost. */
    @Test
    void eventsBeforeAnySubscriptionAreLost() {
        Transaction transaction = kurento.beginTransaction();
        WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build(transaction);
        endpoint.processOffer(transaction, Kms.chromiumOffer());
        endpoint.gatherCandidates(transaction);
        transaction.commit();
        // The client routes events only to objects it registered itself, which a transaction's are not.
        WebRtcEndpoint registered = kurento.getById(endpoint.getId(), WebRtcEndpoint.class);
        await("gathering done").until(() -> registered.getLocalSessionDescriptor().contains("a=candidate:"));

        Kms.Recorder<IceCandidateFoundEvent> found = Kms.Recorder.on(registered::addIceCandidateFoundListener);
        Kms.Recorder<IceGatheringDoneEvent> done = Kms.Recorder.on(registered::addIceGatheringDoneListener);
        Kms.Recorder<ElementConnectedEvent> connected = Kms.Recorder.on(registered::addElementConnectedListener);
        registered.connect(registered);

        // Events of one socket arrive in order: once the connection's are in, nothing older is on its way.
        await().until(() -> connected.events().size() == 3);
        assertThat(found.events()).isEmpty();
        assertThat(done.events()).isEmpty();
    }

    @Test
    void aFailedOperationUndoesNothingBeforeIt() {
        WebRtcEndpoint negotiated = new WebRtcEndpoint.Builder(pipeline).build();
        negotiated.processOffer(Kms.chromiumOffer());
        Transaction transaction = kurento.beginTransaction();
        WebRtcEndpoint created = new WebRtcEndpoint.Builder(pipeline).build(transaction);
        negotiated.processOffer(transaction, Kms.chromiumOffer());

        assertThatThrownBy(transaction::commit).hasMessageContaining("Endpoint already negotiated");

        assertThat(emulator.objects()).extracting(EmulatedObject::type)
                .containsExactlyInAnyOrder("MediaPipeline", "WebRtcEndpoint", "WebRtcEndpoint");
    }

    @Test
    void unknownObjectsAreNotFound() {
        WebRtcEndpoint ghost = kurento.getById(pipeline.getId() + "/ffffffff-0000-0000-0000-000000000000_kurento.WebRtcEndpoint",
                WebRtcEndpoint.class);
        assertThatThrownBy(ghost::getName)
                .isInstanceOfSatisfying(KurentoServerException.class, error -> {
                    assertThat(error.getCode()).isEqualTo(40101);
                    assertThat(error.getData()).contains("MEDIA_OBJECT_NOT_FOUND");
                });
        assertThat(pipeline.getChildren()).isEmpty();
    }
}
