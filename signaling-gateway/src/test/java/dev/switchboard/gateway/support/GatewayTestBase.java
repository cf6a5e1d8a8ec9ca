package dev.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.gateway.messaging.RoomMessaging;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static org.awaitility.Awaitility.await;

/** A running gateway on a real broker, a room-service stand-in, and helpers to drive both. */
@QuarkusTestResource(KafkaTestResource.class)
public abstract class GatewayTestBase {

    private static RoomServiceStub stub;

    @TestHTTPResource("/signaling")
    URI signaling;

    @Inject
    RoomMessaging messaging;

    protected RoomServiceStub room;
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeEach
    void awaitGateway() {
        await().atMost(Duration.ofSeconds(60)).until(messaging::ready);
        room = stubFor(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SignalingClient::close);
    }

    /** One stand-in per test class: a test profile restarts the broker along with the gateway. */
    @AfterAll
    static void closeRoomService() {
        if (stub != null) {
            stub.close();
            stub = null;
        }
    }

    private static RoomServiceStub stubFor(String bootstrapServers) {
        if (stub == null) {
            stub = new RoomServiceStub(bootstrapServers);
        }
        return stub;
    }

    protected URI signalingUri() {
        return URI.create("ws" + signaling.toString().substring("http".length()));
    }

    protected SignalingClient connect() {
        SignalingClient client = SignalingClient.connect(signalingUri());
        clients.add(client);
        return client;
    }

    /** Joins {@code client} to the room as {@code user}, answering for room-service; returns the Join command. */
    protected RoomCommand join(SignalingClient client, String roomId, String user) {
        return room.admit(client, roomId, user);
    }

    /** The next raw frame the client receives, parsed. */
    protected static JsonNode nextFrame(SignalingClient client) {
        try {
            String frame = client.frames().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return Json.mapper().readTree(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a raw frame and returns the next frame that comes back. */
    protected static JsonNode exchange(SignalingClient client, String frame) {
        client.sendRaw(frame);
        return nextFrame(client);
    }
}
