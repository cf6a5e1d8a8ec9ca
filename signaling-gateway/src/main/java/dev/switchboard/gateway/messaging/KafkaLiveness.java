package dev.switchboard.gateway.messaging;

import dev.switchboard.contracts.messaging.TopicTail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the tails that bring room-service's words to this gateway run or can still restart themselves,
 * one check each. Kafka being away does not make them down (they wait for it; readiness says so): only a
 * tail that cannot restart does, and then the process is to be restarted.
 */
@ApplicationScoped
public class KafkaLiveness {

    private final RoomMessaging messaging;

    KafkaLiveness(RoomMessaging messaging) {
        this.messaging = messaging;
    }

    @Produces
    @Liveness
    HealthCheck repliesTail() {
        return () -> check("room-replies-tail", messaging.repliesHealth());
    }

    @Produces
    @Liveness
    HealthCheck statusTail() {
        return () -> check("room-status-tail", messaging.statusesHealth());
    }

    private static HealthCheckResponse check(String name, TopicTail.Health health) {
        return HealthCheckResponse.named(name).status(health.alive())
                .withData("restarts", health.restarts())
                .withData("setAside", health.setAside())
                .build();
    }
}
