package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.devstack.kafka.EmbeddedKafka;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.gateway.support.RoomServiceStub;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.switchboard.gateway.support.Fixtures.SECRET;
import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static dev.switchboard.gateway.support.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged gateways on one broker, as deployed: participants of one room on both, and a client that
 * moves from one to the other. Their ids share a room-replies partition, so each must skip the other's replies.
 */
class MultiGatewayIT {

    private static final int PARTITIONS = 8;
    private static final String GATEWAY_A = "gateway-a";
    private static final String GATEWAY_B = IntStream.range(0, 1000).mapToObj(i -> "gateway-b-" + i)
            .filter(id -> partition(id) == partition(GATEWAY_A))
            .findFirst().orElseThrow();

    private static EmbeddedKafka kafka;
    private static ServiceProcess gatewayA;
    private static ServiceProcess gatewayB;
    private static RoomServiceStub room;
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
        gatewayA = gateway(GATEWAY_A);
        gatewayB = gateway(GATEWAY_B);
        gatewayA.awaitReady(Duration.ofSeconds(90));
        gatewayB.awaitReady(Duration.ofSeconds(90));
        room = new RoomServiceStub(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        room.close();
        gatewayA.stop();
        gatewayB.stop();
        kafka.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SignalingClient::close);
    }

    @Test
    void statusReachesTheRoomsParticipantsOnEveryGateway() {
        String roomId = newRoomId();
        SignalingClient alice = connect(gatewayA);
        SignalingClient bob = connect(gatewayB);
        SignalingClient elsewhere = connect(gatewayB);
        assertThat(room.admit(alice, roomId, "alice").gatewayId()).isEqualTo(GATEWAY_A);
        assertThat(room.admit(bob, roomId, "bob").gatewayId()).isEqualTo(GATEWAY_B);
        room.admit(elsewhere, newRoomId(), "eve");

        room.publishStatus(status(roomId, 2));

        assertThat(alice.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(2);
        assertThat(bob.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(2);
        elsewhere.call("ping", null, WAIT);
        assertThat(elsewhere.frames()).noneMatch(frame -> frame.contains("roomStatus"));
    }

    @Test
    void repliesOnASharedPartitionReachOnlyTheGatewayThatAsked() {
        String roomId = newRoomId();
        SignalingClient alice = connect(gatewayA);
        SignalingClient bob = connect(gatewayB);
        room.admit(alice, roomId, "alice");
        room.admit(bob, roomId, "bob");

        CompletableFuture<JsonNode> fromAlice = alice.request("unpublish", Map.of("streamId", "a"));
        CompletableFuture<JsonNode> fromBob = bob.request("unpublish", Map.of("streamId", "b"));
        RoomCommand first = room.awaitCommand(roomId, RoomCommand.Unpublish.class);
        RoomCommand second = room.awaitCommand(roomId, RoomCommand.Unpublish.class);
        room.reply(first, new RequestResult.Done());
        room.reply(second, new RequestResult.Done());

        assertThat(fromAlice).succeedsWithin(WAIT);
        assertThat(fromBob).succeedsWithin(WAIT);
        // A gateway that took the other's Joined reply for its own would undo that join with a leave.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> room.commandsOf(roomId).isEmpty());
    }

    @Test
    void clientThatLostItsGatewayResumesOnAnother() {
        String roomId = newRoomId();
        SignalingClient before = connect(gatewayA);
        CompletableFuture<JsonNode> joined = before.request("joinRoom", Map.of("roomId", roomId,
                "token", token("carol", roomId)));
        String resumeToken = ResumeTokens.issue(roomId);
        room.reply(room.awaitCommand(roomId, RoomCommand.Join.class),
                new RequestResult.Joined("p-carol", resumeToken, status(roomId, 1)));
        joined.join();

        before.abort();
        RoomCommand lost = room.awaitCommand(roomId, RoomCommand.ConnectionLost.class);
        SignalingClient after = connect(gatewayB);
        CompletableFuture<JsonNode> resumed = after.request("resume", Map.of("resumeToken", resumeToken));
        RoomCommand resume = room.awaitCommand(roomId, RoomCommand.Resume.class);
        room.reply(resume, new RequestResult.Resumed("p-carol", status(roomId, 2)));

        assertThat(lost.gatewayId()).isEqualTo(GATEWAY_A);
        assertThat(lost.participantId()).isEqualTo("p-carol");
        assertThat(resume.gatewayId()).isEqualTo(GATEWAY_B);
        assertThat(resumed.join().get("participantId").asText()).isEqualTo("p-carol");
        after.request("setMedia", Map.of("streamId", "s", "audio", true, "video", false));
        RoomCommand setMedia = room.awaitCommand(roomId, RoomCommand.SetMedia.class);
        assertThat(setMedia.participantId()).isEqualTo("p-carol");
        assertThat(setMedia.gatewayId()).isEqualTo(GATEWAY_B);
    }

    @Test
    void stoppingGatewayClosesItsSocketsAndReportsTheirParticipantsLost() {
        ServiceProcess leaving = gateway("gateway-c");
        leaving.awaitReady(Duration.ofSeconds(90));
        String roomId = newRoomId();
        SignalingClient client = connect(leaving);
        room.admit(client, roomId, "dora");

        leaving.stop();

        assertThat(client.closed()).succeedsWithin(WAIT).isEqualTo(1001);
        RoomCommand lost = room.awaitCommand(roomId, RoomCommand.ConnectionLost.class);
        assertThat(lost.gatewayId()).isEqualTo("gateway-c");
        assertThat(lost.participantId()).isEqualTo("p-dora");
    }

    private SignalingClient connect(ServiceProcess gateway) {
        SignalingClient client = SignalingClient.connect(URI.create("ws://localhost:" + gateway.port() + "/signaling"));
        clients.add(client);
        return client;
    }

    private static ServiceProcess gateway(String id) {
        return ServiceProcess.builder(id)
                .quarkusApp(Path.of(""))
                .env("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers())
                .env("SWITCHBOARD_JWT_SECRET", SECRET)
                .env("SWITCHBOARD_GATEWAY_ID", id)
                .env("SWITCHBOARD_KAFKA_PARTITIONS", String.valueOf(PARTITIONS))
                .logFile(Path.of("target", id + ".log"))
                .start();
    }

    private static int partition(String gatewayId) {
        return BuiltInPartitioner.partitionForKey(gatewayId.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }
}
