package dev.switchboard.history.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** The service is alive while its room-events loop runs; Kafka and PostgreSQL themselves are readiness checks. */
@Liveness
@ApplicationScoped
public class RoomEventConsumerHealth implements HealthCheck {

    private final RoomEventConsumer consumer;

    public RoomEventConsumerHealth(RoomEventConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("room-events consumer").status(consumer.alive()).build();
    }
}
