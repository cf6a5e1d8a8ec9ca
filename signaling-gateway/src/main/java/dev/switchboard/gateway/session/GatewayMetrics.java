package dev.switchboard.gateway.session;

import dev.switchboard.contracts.protocol.ClientRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the gateway measures: connections, frames each way, errors by code and request latency by method. */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter sent;
    /** Built up front: only known methods are timed, so clients cannot inflate the tag space. */
    private final Map<String, Timer> latency;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = messages(registry, "in");
        this.sent = messages(registry, "out");
        this.latency = ClientRequest.METHODS.keySet().stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                method -> Timer.builder("switchboard.gateway.request.latency")
                        .description("Time from a request to its response")
                        .tag("method", method)
                        .publishPercentiles(0.5, 0.95, 0.99)
                        .register(registry)));
    }

    void trackConnections(Map<?, ?> connections) {
        Gauge.builder("switchboard.gateway.connections", connections, Map::size)
                .description("Open client WebSockets")
                .strongReference(true)
                .register(registry);
    }

    void received() {
        received.increment();
    }

    void sent() {
        sent.increment();
    }

    void error(int code) {
        registry.counter("switchboard.gateway.errors", "code", Integer.toString(code)).increment();
    }

    void disconnected(Disconnect why) {
        registry.counter("switchboard.gateway.disconnects", "reason", why.tag()).increment();
    }

    void answered(String method, long startNanos) {
        Timer timer = latency.get(method);
        if (timer != null) {
            timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static Counter messages(MeterRegistry registry, String direction) {
        return Counter.builder("switchboard.gateway.messages")
                .description("WebSocket text frames")
                .tag("direction", direction)
                .register(registry);
    }
}
