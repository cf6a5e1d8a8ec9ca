package dev.switchboard.room.rest;

import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorTestResource;
import dev.switchboard.room.messaging.GatewayProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/** The operators' API, over real Kafka: it sees rooms of the cluster and acts through their owners. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KurentoEmulatorTestResource.class)
class AdminResourceTest {

    private static final String SECRET = "switchboard-local-development-secret-not-for-production";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private GatewayProbe gateway;

    @BeforeEach
    void connect() {
        gateway = new GatewayProbe(bootstrapServers);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        gateway.close();
    }

    @Test
    void onlyAdminsMayLook() {
        given().get("/admin/rooms").then().statusCode(401);
        given().auth().oauth2(token("alice", List.of())).get("/admin/rooms").then().statusCode(403);
        given().auth().oauth2("not.a.token").get("/admin/rooms").then().statusCode(401);
    }

    @Test
    void operatorSeesTheRoomAndRemovesAParticipantWhoIsToldWhy() {
        String roomId = "room-" + UUID.randomUUID();
        String alice = join(roomId, "conn-a", "alice");
        join(roomId, "conn-b", "bob");

        await().untilAsserted(() -> given().auth().oauth2(admin()).get("/admin/rooms").then().statusCode(200)
                .body("roomId", hasItem(roomId)));
        given().auth().oauth2(admin()).get("/admin/rooms/" + roomId).then().statusCode(200)
                .body("participants.userId", org.hamcrest.Matchers.contains("alice", "bob"));

        given().auth().oauth2(admin()).delete("/admin/rooms/" + roomId + "/participants/" + alice + "?reason=abuse")
                .then().statusCode(204);

        await().untilAsserted(() -> assertThat(gateway.messages).anySatisfy(m -> {
            assertThat(m.connectionId()).isEqualTo("conn-a");
            assertThat(m.body()).isEqualTo(new GatewayMessage.Push(new ServerNotification.Evicted("abuse")));
        }));
        await().untilAsserted(() -> assertThat(gateway.events(roomId)).extracting(RoomEvent::data)
                .contains(new EventData.ParticipantLeft(alice, "evicted")));
        given().auth().oauth2(admin()).delete("/admin/rooms/" + roomId + "/participants/" + alice)
                .then().statusCode(404);
    }

    @Test
    void operatorClosesARoomEveryoneIsToldAndKurentoIsCleanedUp() {
        String roomId = "room-" + UUID.randomUUID();
        join(roomId, "conn-a", "alice");
        join(roomId, "conn-b", "bob");

        given().auth().oauth2(admin()).delete("/admin/rooms/" + roomId).then().statusCode(204);

        await().untilAsserted(() -> assertThat(gateway.messages.stream().filter(m -> m.body().equals(
                new GatewayMessage.Push(new ServerNotification.RoomClosed("closedByAdmin")))))
                .extracting(GatewayMessage::connectionId).containsExactlyInAnyOrder("conn-a", "conn-b"));
        await().untilAsserted(() -> assertThat(gateway.events(roomId)).last().extracting(RoomEvent::data)
                .isEqualTo(new EventData.CallEnded("closedByAdmin", gateway.events(roomId).getLast().time())));
        await().untilAsserted(() -> assertThat(KurentoEmulatorTestResource.emulator().objects())
                .noneMatch(o -> roomId.equals(o.tags().get("room"))));
        await().untilAsserted(() -> given().auth().oauth2(admin()).get("/admin/rooms/" + roomId).then().statusCode(404));
        given().auth().oauth2(admin()).delete("/admin/rooms/" + roomId).then().statusCode(404);
    }

    private String join(String roomId, String connectionId, String userId) {
        GatewayMessage.Body answer = gateway.awaitAnswer(gateway.send(roomId, connectionId, null,
                new RoomCommand.Join(userId, userId, null)));
        return ((RequestResult.Joined) ((GatewayMessage.Reply) answer).result()).participantId();
    }

    private static String admin() {
        return token("operator", List.of(TokenClaims.ADMIN));
    }

    private static String token(String user, List<String> roles) {
        return Hs256Tokens.sign(new TokenClaims(user, user, List.of(), roles, Instant.now().plusSeconds(600)), SECRET);
    }
}
