package dev.switchboard.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ClientRequest;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.contracts.protocol.StreamKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void roomEventIsCloudEventWithTypeFromData() throws Exception {
        RoomEvent event = RoomEvent.of("room-1", "call-1", 3, T0,
                new EventData.ParticipantJoined("p1", "alice", "Alice"));

        JsonNode json = Json.mapper().readTree(Json.write(event));

        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("type").asText()).isEqualTo("participant.joined");
        assertThat(json.get("subject").asText()).isEqualTo("room-1");
        assertThat(json.get("time").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(json.get("sequence").asLong()).isEqualTo(3);
        assertThat(json.get("callid").asText()).isEqualTo("call-1");
        assertThat(json.get("data").get("userId").asText()).isEqualTo("alice");
        assertThat(Json.read(Json.write(event), RoomEvent.class)).isEqualTo(event);
    }

    @Test
    void commandsRoundTripWithTheirType() {
        RoomCommand command = new RoomCommand("c1", "room-1", "gw-1", "conn-1", "p1", T0,
                new RoomCommand.AddIceCandidate("s1", new IceCandidate("candidate:1 1 UDP 1 10.0.0.1 9 typ host", "0", 0)));

        String json = Json.write(command);

        assertThat(json).contains("\"type\":\"addIceCandidate\"");
        assertThat(Json.read(json, RoomCommand.class)).isEqualTo(command);
    }

    @Test
    void gatewayMessagesKeepResultAndNotificationTypesOutOfTheirPayload() throws Exception {
        RoomStatus status = new RoomStatus("room-1", "call-1", 7, T0, List.of(new RoomStatus.Participant(
                "p1", "alice", "Alice", true, T0, List.of(new RoomStatus.Stream("s1", StreamKind.SCREEN, true, false)))));
        GatewayMessage reply = new GatewayMessage("gw-1", "conn-1",
                new GatewayMessage.Reply("c1", new RequestResult.Joined("p1", "token", status)));
        GatewayMessage push = new GatewayMessage("gw-1", "conn-1",
                new GatewayMessage.Push(new ServerNotification.Renegotiate("s1", "mediaServerRestarted")));

        assertThat(Json.read(Json.write(reply), GatewayMessage.class)).isEqualTo(reply);
        assertThat(Json.read(Json.write(push), GatewayMessage.class)).isEqualTo(push);
        JsonNode result = Json.mapper().valueToTree(((GatewayMessage.Reply) reply.body()).result());
        assertThat(result.has("type")).isFalse();
        assertThat(result.get("room").get("participants").get(0).get("streams").get(0).get("kind").asText())
                .isEqualTo("screen");
        assertThat(status.method()).isEqualTo("roomStatus");
        assertThat(new ServerNotification.Evicted("x").method()).isEqualTo("evicted");
    }

    @Test
    void requestsValidateTheirParamsWithActionableMessages() {
        assertThatThrownBy(() -> new ClientRequest.Publish("not sdp", null))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("sdpOffer")
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMS);
        assertThatThrownBy(() -> new ClientRequest.JoinRoom(" ", "t", null, null)).hasMessageContaining("roomId");
        assertThat(new ClientRequest.Publish("v=0\r\n", null).kind()).isEqualTo(StreamKind.CAMERA);
    }

    @Test
    void resumeTokensNameTheirRoomAndAreUnguessable() {
        String token = ResumeTokens.issue("räum/1");

        assertThat(ResumeTokens.roomOf(token)).contains("räum/1");
        assertThat(ResumeTokens.issue("räum/1")).isNotEqualTo(token);
        assertThat(ResumeTokens.roomOf("garbage")).isEmpty();
        assertThat(ResumeTokens.roomOf("%%%.x")).isEmpty();
    }
}
