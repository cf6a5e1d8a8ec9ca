package dev.switchboard.gateway.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.RequestResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages a newer room-service may send during a rolling deploy, as this gateway passes them on. */
class NewerRepliesTest {

    @Test
    void aReplyOfAnUnknownKindFailsItsRequestAtOnce() {
        GatewayMessage reply = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","format":"1.3","kind":"reply",
                 "body":{"commandId":"c1","resultType":"spotlighted","result":{"spotlightId":"s1"}}}""", GatewayMessage.class);

        assertThat(RoomMessaging.understood(reply)).hasValueSatisfying(message -> {
            assertThat(message.connectionId()).isEqualTo("conn-1");
            assertThat(message.body()).isInstanceOfSatisfying(GatewayMessage.Failure.class, failure -> {
                assertThat(failure.commandId()).isEqualTo("c1");
                assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE.code());
                assertThat(failure.message()).contains("format 1.3");
            });
        });
    }

    @Test
    void otherMessagesOfUnknownKindsAreSetAside() {
        GatewayMessage push = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","kind":"push",
                 "body":{"method":"spotlight","notification":{"participantId":"p1"}}}""", GatewayMessage.class);
        GatewayMessage body = Json.read("""
                {"gatewayId":"gw-1","connectionId":"conn-1","kind":"progress","body":{"commandId":"c1"}}""",
                GatewayMessage.class);

        assertThat(RoomMessaging.understood(push)).isEmpty();
        assertThat(RoomMessaging.understood(body)).isEmpty();
    }

    @Test
    void knownMessagesPassUnchanged() {
        GatewayMessage reply = new GatewayMessage("gw-1", "conn-1", new GatewayMessage.Reply("c1", new RequestResult.Done()));

        assertThat(RoomMessaging.understood(reply)).contains(reply);
    }
}
