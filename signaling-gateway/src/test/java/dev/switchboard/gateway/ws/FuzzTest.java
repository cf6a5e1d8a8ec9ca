package dev.switchboard.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.gateway.support.GatewayTestBase;
import dev.switchboard.gateway.support.BadFrames;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No input breaks a gateway: after a flood of broken frames, the same socket still works. */
@QuarkusTest
class FuzzTest extends GatewayTestBase {

    private static final int FRAMES = 100_000;

    @Test
    void hundredThousandBadFramesLeaveTheSocketWorking() {
        SignalingClient client = connect();
        BadFrames frames = new BadFrames(42);

        for (int i = 0; i < FRAMES; i++) {
            client.sendRaw(frames.next());
        }
        JsonNode pong = client.call("ping", null, Duration.ofSeconds(60));

        assertThat(pong.toString()).isEqualTo("{}");
        assertThat(client.isOpen()).isTrue();
        // Every request-shaped frame was answered with an error, none with a result.
        await().atMost(WAIT).until(() -> client.frames().size() >= frames.answerable());
        assertThat(client.frames()).filteredOn(frame -> frame.contains("\"result\"")).hasSize(1);
        assertThat(connect().call("ping", Map.of(), WAIT).toString()).isEqualTo("{}");
    }
}
