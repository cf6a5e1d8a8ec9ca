package dev.switchboard.gateway.ws;

import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static dev.switchboard.gateway.support.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** The limits that protect a gateway from its clients, set low; and a gateway without the dev token endpoint. */
@QuarkusTest
@TestProfile(LimitsTest.Limits.class)
class LimitsTest extends GatewayTestBase {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "switchboard.dev-tokens.enabled", "false",
                    "switchboard.gateway.max-message-bytes", "4096",
                    "switchboard.gateway.rate-limit.requests-per-second", "5",
                    "switchboard.gateway.rate-limit.burst", "10",
                    "switchboard.gateway.idle-timeout", "2s",
                    "switchboard.gateway.outbound-queue-limit", "50",
                    "quarkus.websockets-next.server.auto-ping-interval", "1h");
        }
    }

    @Test
    void devTokenEndpointIsNotThereWhenDisabled() {
        given().queryParam("user", "alice").when().get("/dev/token").then().statusCode(404);
    }

    @Test
    void oversizedFrameClosesOnlyItsSocketWith1009() {
        SignalingClient big = connect();
        SignalingClient bystander = connect();

        big.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000) + "\"}}");

        assertThat(big.closed()).succeedsWithin(WAIT).isEqualTo(1009);
        assertThat(bystander.call("ping", null, WAIT).toString()).isEqualTo("{}");
    }

    @Test
    void requestsBeyondTheRateAreRefusedWith4029() {
        SignalingClient client = connect();

        IntStream.rangeClosed(1, 20).forEach(id -> client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}"));

        long limited = IntStream.rangeClosed(1, 20).mapToObj(i -> nextFrame(client))
                .filter(frame -> frame.at("/error/code").asInt() == 4029)
                .count();
        assertThat(limited).isBetween(5L, 10L);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void clientThatStopsReadingIsDisconnectedAndItsParticipantLost() {
        String roomId = newRoomId();
        // A JDK WebSocket reads only as much as its listener asks for; this one never asks.
        WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(signalingUri(), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                    }
                }).join();
        stalled.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"joinRoom\",\"params\":{\"roomId\":\"" + roomId
                + "\",\"token\":\"" + token("slow", roomId) + "\"}}", true).join();
        RoomCommand join = room.awaitCommand(roomId, RoomCommand.Join.class);
        room.reply(join, new RequestResult.Joined("p-slow", ResumeTokens.issue(roomId), status(roomId, 1)));

        // It keeps sending, so only its not reading can be what closes it, not the idle timeout.
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
        List<RoomStatus.Participant> crowd = IntStream.range(0, 500).mapToObj(i -> new RoomStatus.Participant(
                "p-" + i, "user-" + i, "x".repeat(100), true, Instant.EPOCH, List.of())).toList();
        for (long version = 2; version < 300; version += 10) {
            long from = version;
            room.publishStatuses(LongStream.range(from, from + 10).mapToObj(v ->
                    new RoomStatus(roomId, "call-" + roomId, v, Instant.EPOCH, crowd)).toList());
            stalled.sendText(ping, true).join();
        }
        RoomCommand lost = await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            stalled.sendText(ping, true).join();
            return room.commandsOf(roomId).stream().filter(command -> command.command() instanceof RoomCommand.ConnectionLost)
                    .findFirst();
        }, Optional::isPresent).orElseThrow();
        assertThat(lost.participantId()).isEqualTo("p-slow");
        given().when().get("/q/metrics").then()
                .body(containsString("switchboard_gateway_disconnects_total{reason=\"slowReader\"} 1.0"));
        stalled.abort();
    }

    @Test
    void silentClientIsClosedAfterTheIdleTimeout() {
        SignalingClient quiet = connect();

        assertThat(quiet.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1001);
    }
}
