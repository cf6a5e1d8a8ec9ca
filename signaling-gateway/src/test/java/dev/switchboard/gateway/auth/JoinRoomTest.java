package dev.switchboard.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.gateway.support.Fixtures.SECRET;
import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.joinParams;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static dev.switchboard.gateway.support.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
class JoinRoomTest extends GatewayTestBase {

    @Test
    void validTokenJoinsAsItsUserAndTheResultIsTheRoomsReply() {
        SignalingClient client = connect();
        String roomId = newRoomId();

        CompletableFuture<JsonNode> result = client.request("joinRoom", Map.of("roomId", roomId,
                "token", token("alice", roomId), "metadata", Map.of("device", "phone")));
        RoomCommand join = room.awaitCommand(roomId, RoomCommand.Join.class);
        String resumeToken = ResumeTokens.issue(roomId);
        room.reply(join, new RequestResult.Joined("p-1", resumeToken, status(roomId, 4)));

        assertThat(join.participantId()).isNull();
        assertThat(join.command()).isInstanceOfSatisfying(RoomCommand.Join.class, command -> {
            assertThat(command.userId()).isEqualTo("alice");
            assertThat(command.name()).isEqualTo("ALICE");
            assertThat(command.metadata().get("device").asText()).isEqualTo("phone");
        });
        JsonNode joined = result.join();
        assertThat(joined.get("participantId").asText()).isEqualTo("p-1");
        assertThat(joined.get("resumeToken").asText()).isEqualTo(resumeToken);
        assertThat(joined.at("/room/version").asLong()).isEqualTo(4);
        assertThat(joined.has("type")).isFalse();
    }

    @Test
    void joinedConnectionsSendTheirParticipantWithEachCommand() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "bob");

        CompletableFuture<JsonNode> result = client.request("setMedia", Map.of("streamId", "s1", "audio", false, "video", true));
        RoomCommand setMedia = room.awaitCommand(roomId, RoomCommand.SetMedia.class);
        room.reply(setMedia, new RequestResult.Done());

        assertThat(setMedia.participantId()).isEqualTo("p-bob");
        assertThat(setMedia.command()).isEqualTo(new RoomCommand.SetMedia("s1", false, true));
        assertThat(result.join().toString()).isEqualTo("{}");
    }

    @Test
    void givenNameWinsOverTheTokensAndAnyRoomTokenAllowsEveryRoom() {
        SignalingClient client = connect();
        String roomId = newRoomId();

        client.request("joinRoom", Map.of("roomId", roomId, "token", token("carol", TokenClaims.ANY_ROOM), "name", "Caro"));

        RoomCommand join = room.awaitCommand(roomId, RoomCommand.Join.class);
        assertThat(((RoomCommand.Join) join.command()).name()).isEqualTo("Caro");
    }

    @Test
    void expiredTokenIsNotAuthenticated() {
        String roomId = newRoomId();
        String expired = Hs256Tokens.sign(new TokenClaims("dave", null, List.of(roomId), List.of(),
                Instant.now().minusSeconds(3600)), SECRET);

        assertRefused(roomId, expired, 4001, "expired");
    }

    @Test
    void tamperedOrForeignTokensAreNotAuthenticated() {
        String roomId = newRoomId();
        String valid = token("erin", roomId);
        String[] parts = valid.split("\\.");
        String otherPayload = token("mallory", roomId).split("\\.")[1];
        String foreign = Hs256Tokens.sign(new TokenClaims("erin", null, List.of(roomId), List.of(),
                Instant.now().plusSeconds(60)), "some-other-secret-that-is-long-enough-for-hs256");

        assertRefused(roomId, parts[0] + "." + otherPayload + "." + parts[2], 4001, "signature");
        assertRefused(roomId, foreign, 4001, "signature");
        assertRefused(roomId, "not-a-jwt", 4001, "token");
        assertThat(room.commandsOf(roomId)).isEmpty();
    }

    @Test
    void tokenForAnotherRoomIsForbidden() {
        String roomId = newRoomId();

        assertRefused(roomId, token("frank", "other-room"), 4003, roomId);
    }

    @Test
    void secondJoinOnTheSameConnectionIsAConflict() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "gina");

        assertThatThrownBy(() -> client.call("joinRoom", joinParams(roomId, token("gina", roomId)), WAIT))
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(4009);
                    assertThat(e.getMessage()).contains("leaveRoom");
                });
    }

    private void assertRefused(String roomId, String token, int code, String mentioning) {
        SignalingClient client = connect();
        assertThatThrownBy(() -> client.call("joinRoom", joinParams(roomId, token), WAIT))
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(mentioning);
                });
    }
}
