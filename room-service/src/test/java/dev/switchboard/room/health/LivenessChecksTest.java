package dev.switchboard.room.health;

import dev.switchboard.devstack.testing.KafkaTestResource;
import dev.switchboard.devstack.testing.KurentoEmulatorTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** Liveness lists each loop of the instance; whether a loop that fails is down is TopicTail's own test. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KurentoEmulatorTestResource.class)
class LivenessChecksTest {

    @Test
    void liveWhileEveryLoopRunsWithTheRestartsOfEach() {
        await().untilAsserted(() -> given().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItems("room-commands", "room-status-tail", "admin-replies-tail"))
                .body("checks.find { it.name == 'room-commands' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'room-status-tail' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'room-status-tail' }.data.restarts", equalTo(0)));
    }
}
