package dev.switchboard.gateway.rest;

import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class OperationsTest extends GatewayTestBase {

    @Test
    void readyWhenKafkaIsFollowed() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("room-messaging"));
    }

    @Test
    void liveWhileBothTailsRun() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItems("room-replies-tail", "room-status-tail"))
                .body("checks.status", everyItem(equalTo("UP")));
    }

    @Test
    void metricsCountConnectionsFramesAndErrors() {
        var client = connect();
        client.sendRaw("not json");
        client.call("ping", null, WAIT);

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("switchboard_gateway_connections"))
                .body(containsString("switchboard_gateway_messages_total{direction=\"in\""))
                .body(containsString("switchboard_gateway_errors_total{code=\"-32700\""))
                .body(containsString("switchboard_gateway_request_latency_seconds_count{method=\"ping\""));
    }
}
