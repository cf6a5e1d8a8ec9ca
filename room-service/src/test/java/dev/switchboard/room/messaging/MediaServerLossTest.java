package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.MediaState;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorTestResource;
import dev.switchboard.emulator.KurentoEmulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The media server drops its connections or restarts under live calls, through the emulator's fault API. */
@QuarkusTest
@TestProfile(MediaServerLossTest.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KurentoEmulatorTestResource.class)
class MediaServerLossTest {

    /**
     * A room-service of its own: the faults it injects must not reach the other tests' media server session. Empty
     * rooms keep their pipeline through every test here: only the media server's restart may take it.
     */
    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.room.empty-timeout", "10m");
        }
    }

    /** A host candidate of alice's browser: any parseable one connects on the emulator. */
    private static final IceCandidate BROWSER_CANDIDATE =
            new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private GatewayProbe gateway;
    private String offer;
    private KurentoEmulator emulator;

    @BeforeEach
    void connect() {
        gateway = new GatewayProbe(bootstrapServers);
        emulator = KurentoEmulatorTestResource.emulator();
        offer = GatewayProbe.chromiumOffer();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        emulator.clearFaults();
        gateway.close();
    }

    @Test
    void droppedConnectionIsResumedAndTheCallGoesOnUntouched() {
        String roomId = "room-" + UUID.randomUUID();
        Call call = call(roomId);
        List<String> objectsBefore = kurento().inUse(roomId);

        emulator.dropConnections();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(gateway.events(roomId))
                .extracting(RoomEvent::data).contains(new EventData.MediaServerRecovered(false, emulator.url())));
        // A session idle since the first pass goes at the second: had room-service come back in a session other
        // than the one that holds and listens to the call's objects, they would be gone now.
        emulator.collectGarbage();
        emulator.collectGarbage();
        assertThat(kurento().inUse(roomId)).isEqualTo(objectsBefore);
        assertThat(gateway.messages).noneMatch(m -> m.body() instanceof GatewayMessage.Push p
                && p.notification() instanceof ServerNotification.Renegotiate);
        endpointsCreatedBeforeStillReport(call);
        aNewcomerSubscribes(call);
    }

    @Test
    void restartedMediaServerGetsTheRoomRebuiltAndEveryoneRenegotiates() {
        String roomId = "room-" + UUID.randomUUID();
        Call call = call(roomId);
        String streamId = call.streamId();

        emulator.restart(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.events(roomId))
                .extracting(RoomEvent::data).contains(new EventData.MediaServerLost(emulator.url()), new EventData.MediaServerRecovered(true, emulator.url())));
        ServerNotification renegotiate = new ServerNotification.Renegotiate(streamId, "mediaServerRestarted");
        assertThat(gateway.messages).filteredOn(m -> m.body().equals(new GatewayMessage.Push(renegotiate)))
                .extracting(GatewayMessage::connectionId).containsExactlyInAnyOrder("conn-a", "conn-b");
        assertThat(kurento().inUse(roomId)).hasSize(1);

        String republished = gateway.published(roomId, "conn-a", call.alice(), offer);
        gateway.result(gateway.send(roomId, "conn-b", call.bob(), new RoomCommand.Subscribe(republished, offer)));
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));
    }

    @Test
    void emptyRoomsForgetTheirPipelineWhenTheMediaServerRestartsAndOpenAgainOnTheNextJoin() {
        List<String> rooms = IntStream.range(0, 3).mapToObj(i -> "empty-" + UUID.randomUUID()).toList();
        for (String roomId : rooms) {
            String alice = gateway.joined(roomId, "conn-a", "alice");
            assertThat(reply(gateway.send(roomId, "conn-a", alice, new RoomCommand.Leave())))
                    .isInstanceOf(GatewayMessage.Reply.class);
        }
        await().untilAsserted(() -> assertThat(rooms).allSatisfy(roomId -> assertThat(kurento().inUse(roomId)).hasSize(1)));

        emulator.restart(Duration.ofSeconds(2));

        // Nobody to renegotiate, so nothing to rebuild: each room ends as an empty room without a pipeline does.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.gone).containsAll(rooms));
        assertThat(rooms).allSatisfy(roomId -> assertThat(kurento().all(roomId)).isEmpty());
        String roomId = rooms.getFirst();
        String bob = gateway.joined(roomId, "conn-b", "bob");
        assertThat(gateway.published(roomId, "conn-b", bob, offer)).isNotBlank();
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(2));
    }

    @Test
    void candidatesSentBeforeASubscribeSurviveARestartOfTheRoomFromItsBackup() {
        String roomId = "room-" + UUID.randomUUID();
        String alice = gateway.joined(roomId, "conn-a", "alice");
        String bob = gateway.joined(roomId, "conn-b", "bob");
        String streamId = gateway.published(roomId, "conn-a", alice, offer);
        IceCandidate candidate = new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0);
        assertThat(reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.AddIceCandidate(streamId, candidate))))
                .isInstanceOf(GatewayMessage.Reply.class);

        // The media server fails one of the room's calls: the room restarts from its backup.
        emulator.failNext("addIceCandidate", 1);
        assertThat(reply(gateway.send(roomId, "conn-a", alice, new RoomCommand.AddIceCandidate(streamId, candidate))))
                .isInstanceOfSatisfying(GatewayMessage.Failure.class, f -> assertThat(f.code()).isEqualTo(5003));
        assertThat(reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.Subscribe(streamId, offer))))
                .isInstanceOf(GatewayMessage.Reply.class);

        // The subscription's ICE connects only with a candidate of its peer: the one sent before it existed.
        GatewayMessage connected = new GatewayMessage(gateway.gatewayId, "conn-b",
                new GatewayMessage.Push(new ServerNotification.MediaStateChanged(streamId, MediaState.CONNECTED)));
        await().untilAsserted(() -> assertThat(gateway.messages).contains(connected));
    }

    @Test
    void anEndpointThatCouldNotBeListenedToIsReleasedAndAnotherWarmed() {
        String roomId = "room-" + UUID.randomUUID();
        // The first subscription after the join is one of the warm endpoints' four.
        emulator.failNext("subscribe", 1);

        String alice = gateway.joined(roomId, "conn-a", "alice");

        // One spare and one for alice, who has yet to publish: the deaf endpoint is not among them.
        await().untilAsserted(() -> assertThat(kurento().all(roomId))
                .filteredOn(o -> o.type().equals("WebRtcEndpoint")).hasSize(2));
        assertThat(gateway.published(roomId, "conn-a", alice, offer)).isNotBlank();
    }

    /** Participant ids of alice (publishing over conn-a) and bob (subscribed over conn-b), and alice's stream. */
    private record Call(String roomId, String alice, String bob, String streamId) {
    }

    /** alice publishes and her browser connects, bob subscribes: the call is up once alice's media reaches bob. */
    private Call call(String roomId) {
        String alice = gateway.joined(roomId, "conn-a", "alice");
        String bob = gateway.joined(roomId, "conn-b", "bob");
        String streamId = gateway.published(roomId, "conn-a", alice, offer);
        gateway.result(gateway.send(roomId, "conn-a", alice, new RoomCommand.AddIceCandidate(streamId, BROWSER_CANDIDATE)));
        gateway.result(gateway.send(roomId, "conn-b", bob, new RoomCommand.Subscribe(streamId, offer)));
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));
        await().untilAsserted(() -> assertThat(mediaStates("conn-b", streamId)).contains(MediaState.FLOWING));
        return new Call(roomId, alice, bob, streamId);
    }

    /**
     * The network to alice's browser stalls, then recovers: Kurento reports it on the endpoints the room has
     * had since the call began, and only to the session listening to them, so both hear of it only if the
     * room still listens there.
     */
    private void endpointsCreatedBeforeStillReport(Call call) {
        String publisher = kurento().endpoint(call.roomId(), call.alice(), call.streamId()).id();
        gateway.messages.clear();

        emulator.peerStalled(publisher, true);
        await().untilAsserted(() -> {
            assertThat(mediaStates("conn-a", call.streamId())).as("alice's own stream").contains(MediaState.NOT_FLOWING);
            assertThat(mediaStates("conn-b", call.streamId())).as("bob's subscription").contains(MediaState.NOT_FLOWING);
        });
        emulator.peerStalled(publisher, false);
        await().untilAsserted(() -> {
            assertThat(mediaStates("conn-a", call.streamId())).endsWith(MediaState.FLOWING);
            assertThat(mediaStates("conn-b", call.streamId())).endsWith(MediaState.FLOWING);
        });
    }

    /** carol joins now and subscribes to alice's stream: her endpoint gathers and alice's media reaches it. */
    private void aNewcomerSubscribes(Call call) {
        String carol = gateway.joined(call.roomId(), "conn-c", "carol");
        var subscribed = (RequestResult.Subscribed) gateway.result(gateway.send(call.roomId(), "conn-c", carol,
                new RoomCommand.Subscribe(call.streamId(), offer)));

        assertThat(subscribed.sdpAnswer()).startsWith("v=0");
        await().untilAsserted(() -> {
            assertThat(gateway.pushedTo("conn-c")).anyMatch(n -> n instanceof ServerNotification.IceCandidateFound found
                    && found.streamId().equals(call.streamId()));
            assertThat(mediaStates("conn-c", call.streamId())).contains(MediaState.FLOWING);
            String subscription = kurento().endpoint(call.roomId(), carol, call.streamId()).id();
            assertThat(kurento().endpoint(call.roomId(), call.alice(), call.streamId()).sinks()).contains(subscription);
        });
    }

    private List<MediaState> mediaStates(String connectionId, String streamId) {
        return gateway.pushedTo(connectionId).stream()
                .filter(n -> n instanceof ServerNotification.MediaStateChanged changed && changed.streamId().equals(streamId))
                .map(n -> ((ServerNotification.MediaStateChanged) n).state())
                .toList();
    }

    private GatewayMessage.Body reply(String commandId) {
        return gateway.awaitAnswer(commandId);
    }

    private static RoomObjects kurento() {
        return RoomObjects.on(KurentoEmulatorTestResource.emulator());
    }
}
