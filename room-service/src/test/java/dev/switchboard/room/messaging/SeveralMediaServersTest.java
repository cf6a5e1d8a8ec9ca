package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorPairTestResource;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rooms on two media servers: each room is placed on one, losing a server touches only its rooms, and a room
 * whose server stays away past the grace moves to the other one and goes on there.
 */
@QuarkusTest
@TestProfile(SeveralMediaServersTest.TwoMediaServers.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = KurentoEmulatorPairTestResource.class, restrictToAnnotatedClass = true)
class SeveralMediaServersTest {

    /** A room-service of its own, whose rooms move after a short grace. */
    public static class TwoMediaServers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.kms.grace", "1s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private GatewayProbe gateway;
    private String offer;

    @BeforeEach
    void connect() {
        gateway = new GatewayProbe(bootstrapServers);
        offer = GatewayProbe.chromiumOffer();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        gateway.close();
    }

    @Test
    void aLostServerTouchesOnlyItsRoomsAndThoseMoveToTheOther() {
        Call first = call("room-" + UUID.randomUUID());
        Call second = call("room-" + UUID.randomUUID());
        KurentoEmulator lost = kurento().holding(first.roomId).orElseThrow();
        KurentoEmulator kept = kurento().holding(second.roomId).orElseThrow();
        assertThat(lost).as("the two rooms are placed on different media servers").isNotSameAs(kept);
        List<String> keptObjects = kurento().inUse(second.roomId);

        lost.restart(Duration.ofSeconds(6));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gateway.events(first.roomId))
                .extracting(RoomEvent::data).contains(new EventData.MediaServerLost(lost.url()),
                        new EventData.MediaServerRecovered(true, kept.url())));
        ServerNotification renegotiate = new ServerNotification.Renegotiate(first.streamId, "mediaServerLost");
        assertThat(gateway.messages).filteredOn(m -> m.body().equals(new GatewayMessage.Push(renegotiate)))
                .extracting(GatewayMessage::connectionId).containsExactlyInAnyOrder(first.alice, first.bob);
        String republished = gateway.published(first.roomId, first.alice, first.aliceId, offer);
        assertThat(reply(gateway.send(first.roomId, first.bob, first.bobId, new RoomCommand.Subscribe(republished, offer))))
                .isInstanceOf(GatewayMessage.Reply.class);
        await().untilAsserted(() -> assertThat(kurento().inUse(first.roomId)).hasSize(3));
        assertThat(kurento().holding(first.roomId)).containsSame(kept);

        // The other room noticed nothing: same objects, no renegotiation, commands answered.
        assertThat(reply(gateway.send(second.roomId, second.alice, second.aliceId,
                new RoomCommand.SetMedia(second.streamId, false, true)))).isInstanceOf(GatewayMessage.Reply.class);
        assertThat(kurento().inUse(second.roomId)).isEqualTo(keptObjects);
        assertThat(gateway.events(second.roomId)).extracting(RoomEvent::type).doesNotContain("media-server.lost");
        assertThat(gateway.messages).noneMatch(m -> (m.connectionId().equals(second.alice) || m.connectionId().equals(second.bob))
                && m.body() instanceof GatewayMessage.Push p && p.notification() instanceof ServerNotification.Renegotiate);

        // Back, the lost server holds nothing of the room that moved away.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(reply(gateway.send(second.roomId,
                second.alice, second.aliceId, new RoomCommand.SetMedia(second.streamId, true, true))))
                .isInstanceOf(GatewayMessage.Reply.class));
        assertThat(lost.objects()).noneMatch(o -> first.roomId.equals(o.tags().get("room")));
    }

    /** alice publishes, bob subscribes. */
    private record Call(String roomId, String alice, String aliceId, String bob, String bobId, String streamId) {
    }

    private Call call(String roomId) {
        String alice = "conn-a-" + roomId;
        String bob = "conn-b-" + roomId;
        String aliceId = gateway.joined(roomId, alice, "alice");
        String bobId = gateway.joined(roomId, bob, "bob");
        String streamId = gateway.published(roomId, alice, aliceId, offer);
        assertThat(reply(gateway.send(roomId, bob, bobId, new RoomCommand.Subscribe(streamId, offer))))
                .isInstanceOf(GatewayMessage.Reply.class);
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));
        return new Call(roomId, alice, aliceId, bob, bobId, streamId);
    }

    private GatewayMessage.Body reply(String commandId) {
        return gateway.awaitAnswer(commandId);
    }

    private static RoomObjects kurento() {
        return new RoomObjects(KurentoEmulatorPairTestResource.emulators());
    }
}
