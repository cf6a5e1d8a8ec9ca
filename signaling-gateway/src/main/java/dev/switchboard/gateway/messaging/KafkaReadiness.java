package dev.switchboard.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when this gateway hears room-service: its replies and the room statuses are followed. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final RoomMessaging messaging;

    KafkaReadiness(RoomMessaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("room-messaging")
                .status(messaging.ready())
                .withData("gatewayId", messaging.gatewayId())
                .build();
    }
}
