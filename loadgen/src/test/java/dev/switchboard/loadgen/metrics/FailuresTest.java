package dev.switchboard.loadgen.metrics;

import dev.switchboard.contracts.client.SignalingClient.RpcException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void countsFailuresByOperationAndReason() {
        Failures failures = new Failures();
        failures.record("publish", new RpcException(5003, "room-service is unavailable"));
        failures.record("publish", new CompletionException(new RpcException(5003, "again")));
        failures.record("joinRoom", new IllegalStateException("joinRoom got no response within PT30S"));
        failures.record("leaveRoom", new IllegalStateException("socket closed: 1006"));

        assertThat(failures.snapshot()).containsExactly(
                java.util.Map.entry("joinRoom: timeout", 1L),
                java.util.Map.entry("leaveRoom: socket closed", 1L),
                java.util.Map.entry("publish: error 5003", 2L));
        assertThat(failures.total()).isEqualTo(4);
    }
}
