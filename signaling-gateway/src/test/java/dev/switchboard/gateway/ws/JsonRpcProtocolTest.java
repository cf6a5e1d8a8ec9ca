package dev.switchboard.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
class JsonRpcProtocolTest extends GatewayTestBase {

    @Test
    void pingIsAnsweredByTheGatewayWithItsIdEchoed() {
        SignalingClient client = connect();

        JsonNode numeric = exchange(client, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
        JsonNode text = exchange(client, "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\",\"params\":{}}");

        assertThat(numeric.toString()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}");
        assertThat(text.toString()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}");
    }

    @Test
    void malformedJsonIsAParseErrorWithNullId() {
        JsonNode response = exchange(connect(), "{\"jsonrpc\":\"2.0\",\"id\":1,");

        assertThat(response.get("id").isNull()).isTrue();
        assertThat(response.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(response.has("result")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                              | null",
            "42                                              | null",
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}] | null",
            "{\"id\":3,\"method\":\"ping\"}                   | 3",
            "{\"jsonrpc\":\"1.0\",\"id\":\"x\",\"method\":\"ping\"} | \"x\"",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"} | null",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":5}      | 4",
            "{\"jsonrpc\":\"2.0\",\"id\":5}                   | 5"})
    void requestsThatAreNotJsonRpcAreInvalid(String frame, String expectedId) {
        JsonNode response = exchange(connect(), frame);

        assertThat(response.at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(response.get("id").toString()).isEqualTo(expectedId);
        assertThat(response.at("/error/message").asText()).isNotBlank();
    }

    @Test
    void unknownMethodIsNamedInTheError() {
        JsonNode response = exchange(connect(), "{\"jsonrpc\":\"2.0\",\"id\":\"m-1\",\"method\":\"teleport\"}");

        assertThat(response.get("id").asText()).isEqualTo("m-1");
        assertThat(response.at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(response.at("/error/message").asText()).contains("teleport").contains("joinRoom");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"publish\",\"params\":{\"sdpOffer\":\"nope\"}}      | sdpOffer",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"publish\",\"params\":{\"sdpOffer\":\"v=0\",\"kind\":\"tv\"}} | kind",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"setMedia\",\"params\":{\"streamId\":\"s\",\"audio\":[],\"video\":true}} | audio",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"joinRoom\",\"params\":{\"roomId\":\"r\"}}          | token",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"joinRoom\",\"params\":[\"r\",\"t\"]}              | params",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"unpublish\"}                                      | streamId"})
    void invalidParamsSayWhatToFix(String frame, String named) {
        JsonNode response = exchange(connect(), frame);

        assertThat(response.get("id").asInt()).isEqualTo(1);
        assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(response.at("/error/message").asText()).contains(named);
    }

    @Test
    void notificationsFromTheClientGetNoResponse() {
        SignalingClient client = connect();

        client.sendRaw("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");
        client.sendRaw("{\"jsonrpc\":\"2.0\",\"method\":\"nonsense\"}");
        JsonNode next = exchange(client, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}");

        assertThat(next.get("id").asInt()).isEqualTo(99);
    }

    @Test
    void roomRequestsBeforeJoiningAreRefused() {
        SignalingClient client = connect();

        for (String method : new String[] {"unpublish", "unsubscribe"}) {
            assertThatThrownBy(() -> client.call(method, Map.of("streamId", "s1"), WAIT))
                    .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> {
                        assertThat(e.code()).isEqualTo(4001);
                        assertThat(e.getMessage()).contains("joinRoom");
                    });
        }
        assertThatThrownBy(() -> client.call("leaveRoom", null, WAIT))
                .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(4001));
        assertThat(client.isOpen()).isTrue();
    }
}
