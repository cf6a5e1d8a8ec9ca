package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** room-service on a real Kafka broker and the Kurento emulator, driven the way a gateway drives it. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KurentoEmulatorTestResource.class)
class RoomServiceTest {

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
    void callRunsOnKurentoAndLeavesNoObjectBehind() {
        String roomId = "room-" + UUID.randomUUID();
        String alice = gateway.joined(roomId, "conn-a", "alice");
        String bob = gateway.joined(roomId, "conn-b", "bob");

        var published = (RequestResult.Published) reply(gateway.send(roomId, "conn-a", alice,
                new RoomCommand.Publish(offer, StreamKind.CAMERA)));
        assertThat(published.sdpAnswer()).startsWith("v=0").contains("Kurento");
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(2));
        await().until(() -> gateway.messages.stream().anyMatch(m -> m.body() instanceof GatewayMessage.Push p
                && p.notification().method().equals("iceCandidate") && m.connectionId().equals("conn-a")));

        reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.AddIceCandidate(published.streamId(),
                new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0))));
        reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.Subscribe(published.streamId(), offer)));
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(3));

        reply(gateway.send(roomId, "conn-a", alice, new RoomCommand.Leave()));
        reply(gateway.send(roomId, "conn-b", bob, new RoomCommand.Leave()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kurento().all(roomId)).isEmpty());
        assertThat(gateway.events(roomId)).extracting(RoomEvent::sequence).containsExactly(
                gateway.events(roomId).stream().map(RoomEvent::sequence).sorted().distinct().toArray(Long[]::new));
        assertThat(gateway.events(roomId)).extracting(RoomEvent::type).startsWith("call.started", "participant.joined")
                .endsWith("participant.left", "call.ended");
        assertThat(gateway.statuses.stream().filter(s -> s.roomId().equals(roomId)).map(s -> s.version()))
                .isSorted();
    }

    @Test
    void commandDeliveredTwiceIsAnsweredTwiceButDoneOnce() {
        String roomId = "room-" + UUID.randomUUID();
        String alice = gateway.joined(roomId, "conn-a", "alice");
        RoomCommand publish = new RoomCommand(UUID.randomUUID().toString(), roomId, gateway.gatewayId, "conn-a", alice,
                java.time.Instant.now(), new RoomCommand.Publish(offer, StreamKind.CAMERA));

        var first = (RequestResult.Published) reply(gateway.send(publish));
        gateway.messages.clear();
        var second = (RequestResult.Published) reply(gateway.send(publish));

        assertThat(second).isEqualTo(first);
        await().untilAsserted(() -> assertThat(kurento().inUse(roomId)).hasSize(2));
        assertThat(gateway.events(roomId)).filteredOn(e -> e.type().equals("stream.published")).hasSize(1);
        reply(gateway.send(roomId, "conn-a", alice, new RoomCommand.Leave()));
    }

    @Test
    void requestsOfStrangersAreRefusedWithoutCreatingTheRoom() {
        String roomId = "room-" + UUID.randomUUID();

        GatewayMessage.Body answer = gateway.awaitAnswer(gateway.send(roomId, "conn-x", "nobody",
                new RoomCommand.Publish(offer, StreamKind.CAMERA)));

        assertThat(answer).isInstanceOfSatisfying(GatewayMessage.Failure.class,
                f -> assertThat(f.code()).isEqualTo(4004));
        assertThat(kurento().all(roomId)).isEmpty();
    }

    private RequestResult reply(String commandId) {
        GatewayMessage.Body answer = gateway.awaitAnswer(commandId);
        assertThat(answer).isInstanceOf(GatewayMessage.Reply.class);
        return ((GatewayMessage.Reply) answer).result();
    }

    private static RoomObjects kurento() {
        return RoomObjects.on(KurentoEmulatorTestResource.emulator());
    }
}
