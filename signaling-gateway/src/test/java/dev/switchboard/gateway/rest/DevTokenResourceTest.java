package dev.switchboard.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static dev.switchboard.gateway.support.Fixtures.joinParams;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class DevTokenResourceTest extends GatewayTestBase {

    @Test
    void mintsATokenWithTheAskedClaims() throws Exception {
        String token = given().queryParam("user", "alice").queryParam("name", "Alice")
                .queryParam("room", "demo").queryParam("room", "other").queryParam("admin", true).queryParam("ttl", 60)
                .when().get("/dev/token")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .extract().asString();

        JsonNode claims = Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("name").asText()).isEqualTo("Alice");
        assertThat(claims.get("rooms")).extracting(JsonNode::asText).containsExactly("demo", "other");
        assertThat(claims.get("roles")).extracting(JsonNode::asText).containsExactly("admin");
        assertThat(claims.get("exp").asLong()).isCloseTo(Instant.now().getEpochSecond() + 60, within(5L));
    }

    @Test
    void mintedTokenJoinsAnyRoomWhenNoneIsNamed() {
        String token = given().queryParam("user", "bob").when().get("/dev/token").then().statusCode(200).extract().asString();
        String roomId = newRoomId();

        connect().request("joinRoom", joinParams(roomId, token));

        assertThat(room.awaitCommand(roomId, RoomCommand.Join.class).command())
                .hasFieldOrPropertyWithValue("userId", "bob");
    }

    @Test
    void userIsRequired() {
        given().when().get("/dev/token").then().statusCode(400).body(containsString("user"));
    }
}
