package dev.switchboard.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.joinParams;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static dev.switchboard.gateway.support.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Room-service going away and coming back, with Kafka up all along: the stub reads the commands but
 * answers none until it is back, as a crashed or stalled room-service would.
 */
@QuarkusTest
class RoomServiceOutageTest extends GatewayTestBase {

    /** Room for a loaded build machine between the timer firing and the client reading the error. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final String OFFER = "v=0\r\n";

    @Test
    void requestsTimeOutWhileRoomServiceIsDownAndTheSameConnectionsWorkWhenItIsBack() {
        Duration timeout = ConfigProvider.getConfig().getValue("switchboard.gateway.request-timeout", Duration.class);
        String roomId = newRoomId();
        SignalingClient alice = connect();
        SignalingClient bob = connect();
        join(alice, roomId, "alice");

        // Down: every request in flight at once, so each must get its own 5004 rather than wait behind another.
        long sent = System.nanoTime();
        List<CompletableFuture<Long>> unanswered = List.of(
                failedAfter(alice.request("publish", Map.of("sdpOffer", OFFER)), sent),
                failedAfter(alice.request("unpublish", Map.of("streamId", "s-a")), sent),
                failedAfter(alice.request("setMedia", Map.of("streamId", "s-a", "audio", false, "video", true)), sent),
                failedAfter(bob.request("joinRoom", joinParams(roomId, token("bob", roomId))), sent));
        RoomCommand publish = room.awaitCommand(roomId, RoomCommand.Publish.class);
        RoomCommand unpublish = room.awaitCommand(roomId, RoomCommand.Unpublish.class);
        RoomCommand setMedia = room.awaitCommand(roomId, RoomCommand.SetMedia.class);
        RoomCommand bobJoin = room.awaitCommand(roomId, RoomCommand.Join.class);
        // What the gateway answers itself does not wait for the room, and the gateway is still fit to serve.
        assertThat(alice.call("ping", null, Duration.ofSeconds(1)).toString()).isEqualTo("{}");
        given().when().get("/q/health/ready").then().statusCode(200);

        for (CompletableFuture<Long> request : unanswered) {
            assertThat(request).succeedsWithin(WAIT)
                    .satisfies(millis -> assertThat(millis).isBetween(timeout.toMillis(), timeout.plus(SLACK).toMillis()));
        }

        // Back: it works through its backlog, so late answers reach the gateway first; each was already answered.
        room.reply(publish, new RequestResult.Published("s-late", "v=0"));
        room.reply(unpublish, new RequestResult.Done());
        room.reply(setMedia, new RequestResult.Done());
        room.reply(bobJoin, new RequestResult.Joined("p-bob", ResumeTokens.issue(roomId), status(roomId, 2)));
        // Bob never heard he was in, so the join is undone: once this arrives, every late answer was handled.
        assertThat(room.awaitCommand(roomId, RoomCommand.Leave.class).participantId()).isEqualTo("p-bob");

        CompletableFuture<JsonNode> published = alice.request("publish", Map.of("sdpOffer", OFFER));
        RoomCommand again = room.awaitCommand(roomId, RoomCommand.Publish.class);
        assertThat(again.participantId()).isEqualTo("p-alice");
        room.reply(again, new RequestResult.Published("s-alice", "v=0"));
        assertThat(published).succeedsWithin(WAIT).satisfies(result -> assertThat(result.get("streamId").asText()).isEqualTo("s-alice"));
        // A timed-out join left bob's connection free to join again.
        join(bob, roomId, "bob");

        room.publishStatus(status(roomId, 3));
        for (SignalingClient client : List.of(alice, bob)) {
            assertThat(client.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(3);
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(responseIds(alice)).doesNotHaveDuplicates();
        assertThat(alice.frames()).noneMatch(frame -> frame.contains("s-late"));
    }

    /** Completes with the milliseconds from {@code sent} to a 5004; fails on anything else. */
    private static CompletableFuture<Long> failedAfter(CompletableFuture<JsonNode> response, long sent) {
        return response.handle((result, error) -> {
            long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertThat(error).as("the request's outcome")
                    .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(5004));
            return millis;
        });
    }

    /** The ids of every response the client got: a request answered twice shows up twice. */
    private static List<String> responseIds(SignalingClient client) {
        return client.frames().stream().map(RoomServiceOutageTest::parse)
                .filter(frame -> frame.hasNonNull("id"))
                .map(frame -> frame.get("id").asText())
                .toList();
    }

    private static JsonNode parse(String frame) {
        try {
            return Json.mapper().readTree(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
