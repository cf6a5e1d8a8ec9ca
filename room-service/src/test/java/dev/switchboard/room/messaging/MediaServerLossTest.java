package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.contracts.protocol.StreamKind;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The media server drops its connections or restarts under live calls, through the emulator's fault API. */
@QuarkusTest
@TestProfile(MediaServerLossTest.OwnApplication.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KurentoEmulatorTestResource.class)
class MediaServerLossTest {

    /** A room-service of its own: the faults it injects must not reach the other tests' media server session. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

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
        String[] call = call(roomId);
        List<String> objectsBefore = kurento().inUse(roomId);

        emulator.dropConnections();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(reply(gateway.send(roomId, "conn-a",
                call[0], new RoomCommand.SetMedia(call[2], false, true)))).isInstanceOf(GatewayMessage.Reply.class));
        assertThat(kurento().inUse(roomId)).isEqualTo(objectsBefore);
        assertThat(gateway.messages).noneMatch(m -> m.body() instanceof GatewayMessage.Push p
                && p.notification() instanceof ServerNotification.Renegotiate);
    }

    @Test
    void restartedMediaServerGetsTheRoomRebuiltAndEveryoneRenegotiates() {
        String roomId = "room-" + UUID.randomUUID();
        String[] call = call(roomId);
        String streamId = call[2];

        emulator.restart(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.events(roomId))
                .extracting(RoomEvent::data).contains(new EventData.MediaServerLost(emulator.url()), new EventData.MediaServerRecovered(true, emulator.url())));
        ServerNotification renegotiate = new ServerNotification.Renegotiate(streamId, "mediaServerRestarted");
        assertThat(gateway.messages).filteredOn(m -> m.body().equals(new GatewayMessage.Push(renegotiate)))
                .extracting(GatewayMessage::connectionId).containsExactlyInAnyOrder("conn-a", "conn-b");
        assertThat(kurento().inUse(roomId)).hasSize(1);

        var republished = (RequestResult.Published) ((GatewayMessage.Reply) reply(gateway.send(roomId, "conn-a", call[0],
                new RoomCommand.Publish(offer, StreamKind.CAMERA)))).result();
        assertThat(reply(gateway.send(roomId, "conn-b", call[1], new RoomCommand.Subscribe(republished.streamId(), offer))))
                .isInstanceOf(GatewayMessage.Reply.class);
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));
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

    /** alice publishes, bob subscribes: returns alice's and bob's participant ids and the stream id. */
    private String[] call(String roomId) {
        String alice = gateway.joined(roomId, "conn-a", "alice");
        String bob = gateway.joined(roomId, "conn-b", "bob");
        var published = (RequestResult.Published) ((GatewayMessage.Reply) reply(gateway.send(roomId, "conn-a", alice,
                new RoomCommand.Publish(offer, StreamKind.CAMERA)))).result();
        assertThat(reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.Subscribe(published.streamId(), offer))))
                .isInstanceOf(GatewayMessage.Reply.class);
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));
        return new String[] {alice, bob, published.streamId()};
    }

    private GatewayMessage.Body reply(String commandId) {
        return gateway.awaitAnswer(commandId);
    }

    private static RoomObjects kurento() {
        return RoomObjects.on(KurentoEmulatorTestResource.emulator());
    }
}
