package dev.switchboard.gateway.messaging;

import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.devstack.kafka.EmbeddedKafka;
import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class KafkaOutageTest extends GatewayTestBase {

    @Test
    void withoutKafkaRequestsFailAsUnavailableAndTheGatewayIsNotReadyButLive() {
        SignalingClient client = connect();
        String roomId = newRoomId();
        join(client, roomId, "olga");
        EmbeddedKafka kafka = KafkaTestResource.kafka();

        kafka.stop();
        try {
            assertThat(client.request("unpublish", Map.of("streamId", "s"))).failsWithin(WAIT)
                    .withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SignalingClient.RpcException.class, e -> assertThat(e.code()).isEqualTo(5003));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    given().when().get("/q/health/ready").then().statusCode(503));
            // The tails wait for Kafka: restarting the process would not bring it back.
            given().when().get("/q/health/live").then().statusCode(200);
            assertThat(client.call("ping", null, WAIT).toString()).isEqualTo("{}");
        } finally {
            kafka.restart();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200));
    }
}
