package dev.switchboard.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.joinParams;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static dev.switchboard.gateway.support.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class RoutingTest extends GatewayTestBase {

    private static final Map<String, String> OFFER = Map.of("sdpOffer", "v=0\r\n");

    @Test
    void repliesReachTheSocketThatAsked() {
        SignalingClient alice = connect();
        SignalingClient bob = connect();
        String roomId = newRoomId();
        join(alice, roomId, "alice");
        join(bob, roomId, "bob");
        bob.frames().clear();

        CompletableFuture<JsonNode> published = alice.request("publish", OFFER);
        RoomCommand publish = room.awaitCommand(roomId, RoomCommand.Publish.class);
        room.reply(publish, new RequestResult.Published("s-1", "v=0 answer"));

        assertThat(publish.participantId()).isEqualTo("p-alice");
        assertThat(published.join().get("streamId").asText()).isEqualTo("s-1");
        assertThat(bob.call("ping", null, WAIT).toString()).isEqualTo("{}");
        assertThat(bob.frames()).hasSize(1);
    }

    @Test
    void failuresArriveAsErrorsWithTheRoomsCodeAndMessage() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "carol");

        CompletableFuture<JsonNode> subscribed = client.request("subscribe", Map.of("streamId", "gone", "sdpOffer", "v=0"));
        room.fail(room.awaitCommand(roomId, RoomCommand.Subscribe.class), 4004, "stream gone is not published");

        assertThat(subscribed).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(4004);
                    assertThat(e.getMessage()).contains("stream gone is not published");
                });
    }

    @Test
    void statusFansOutToEveryConnectionOfTheRoomOnlyAndNeverGoesBack() {
        String roomId = newRoomId();
        SignalingClient alice = connect();
        SignalingClient bob = connect();
        SignalingClient elsewhere = connect();
        join(alice, roomId, "alice");
        join(bob, roomId, "bob");
        join(elsewhere, newRoomId(), "eve");

        room.publishStatus(status(roomId, 2));
        room.publishStatus(status(roomId, 1));
        room.publishStatus(status(roomId, 3));

        for (SignalingClient client : new SignalingClient[] {alice, bob}) {
            assertThat(client.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(2);
            assertThat(client.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(3);
        }
        assertThat(elsewhere.call("ping", null, WAIT).toString()).isEqualTo("{}");
        assertThat(elsewhere.frames()).noneMatch(frame -> frame.contains("roomStatus"));
    }

    @Test
    void statusThatComesWhileJoiningFollowsTheJoinResult() {
        String roomId = newRoomId();
        SignalingClient witness = connect();
        SignalingClient client = connect();
        join(witness, roomId, "walt");

        CompletableFuture<JsonNode> joined = client.request("joinRoom", joinParams(roomId, token("dan", roomId)));
        RoomCommand join = room.awaitCommand(roomId, RoomCommand.Join.class);
        room.publishStatus(status(roomId, 6));
        // Once the witness has it, the gateway has handed it to every connection of the room.
        witness.awaitNotification("roomStatus", WAIT);
        room.reply(join, new RequestResult.Joined("p-dan", ResumeTokens.issue(roomId), status(roomId, 5)));

        assertThat(joined.join().at("/room/version").asLong()).isEqualTo(5);
        assertThat(client.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(6);
    }

    @Test
    void droppedSocketOfAJoinedParticipantIsReportedLost() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "fay");

        client.abort();

        RoomCommand lost = room.awaitCommand(roomId, RoomCommand.ConnectionLost.class);
        assertThat(lost.participantId()).isEqualTo("p-fay");
    }

    @Test
    void participantThatLeftIsNotReportedLost() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "gus");

        CompletableFuture<JsonNode> left = client.request("leaveRoom", null);
        room.reply(room.awaitCommand(roomId, RoomCommand.Leave.class), new RequestResult.Done());
        left.join();
        client.close();

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> room.commandsOf(roomId).isEmpty());
    }

    @Test
    void unansweredRequestTimesOut() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "hal");

        CompletableFuture<JsonNode> published = client.request("publish", OFFER);
        RoomCommand publish = room.awaitCommand(roomId, RoomCommand.Publish.class);

        assertThat(published).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(5004));
        room.reply(publish, new RequestResult.Published("s-late", "v=0"));
        assertThat(client.call("ping", null, WAIT).toString()).isEqualTo("{}");
    }

    @Test
    void joinThatSucceedsAfterItsClientGaveUpIsUndone() {
        SignalingClient client = connect();
        String roomId = newRoomId();

        CompletableFuture<JsonNode> joined = client.request("joinRoom", joinParams(roomId, token("ivy", roomId)));
        RoomCommand join = room.awaitCommand(roomId, RoomCommand.Join.class);
        assertThat(joined).failsWithin(WAIT);
        room.reply(join, new RequestResult.Joined("p-ivy", ResumeTokens.issue(roomId), status(roomId, 1)));

        RoomCommand leave = room.awaitCommand(roomId, RoomCommand.Leave.class);
        assertThat(leave.participantId()).isEqualTo("p-ivy");
        assertThat(leave.connectionId()).isEqualTo(join.connectionId());
    }

    @Test
    void evictedParticipantHearsWhyAndIsNoLongerInTheRoom() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        RoomCommand join = join(client, roomId, "jo");

        room.push(join, new ServerNotification.Evicted("closedByAdmin"));

        assertThat(client.awaitNotification("evicted", WAIT).params().get("reason").asText()).isEqualTo("closedByAdmin");
        assertThatThrownBy(() -> client.call("unpublish", Map.of("streamId", "s"), WAIT))
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(4001));
    }

    @Test
    void recordsThatAreNotMessagesAreSkipped() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        RoomCommand join = join(client, roomId, "lea");
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

        room.send(new ProducerRecord<>(Topics.ROOM_REPLIES, join.gatewayId(), garbage));
        room.send(new ProducerRecord<>(Topics.ROOM_STATUS, roomId, garbage));
        room.publishStatus(status(roomId, 2));

        assertThat(client.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(2);
        CompletableFuture<JsonNode> left = client.request("leaveRoom", null);
        room.reply(room.awaitCommand(roomId, RoomCommand.Leave.class), new RequestResult.Done());
        assertThat(left).succeedsWithin(WAIT);
    }

    @Test
    void resumeGoesToTheRoomItsTokenNamesAndUnknownTokensAreNotFound() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        String resumeToken = ResumeTokens.issue(roomId);

        assertThatThrownBy(() -> client.call("resume", Map.of("resumeToken", "garbage"), WAIT))
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(4004));
        CompletableFuture<JsonNode> resumed = client.request("resume", Map.of("resumeToken", resumeToken));
        RoomCommand resume = room.awaitCommand(roomId, RoomCommand.Resume.class);
        room.reply(resume, new RequestResult.Resumed("p-kim", status(roomId, 9)));

        assertThat(resume.command()).isEqualTo(new RoomCommand.Resume(resumeToken));
        assertThat(resumed.join().get("participantId").asText()).isEqualTo("p-kim");
        client.request("unpublish", Map.of("streamId", "s"));
        assertThat(room.awaitCommand(roomId, RoomCommand.Unpublish.class).participantId()).isEqualTo("p-kim");
    }
}
