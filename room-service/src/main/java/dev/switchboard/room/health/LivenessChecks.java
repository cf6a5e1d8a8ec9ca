package dev.switchboard.room.health;

import dev.switchboard.contracts.messaging.TopicTail;
import dev.switchboard.room.messaging.AdminCommands;
import dev.switchboard.room.messaging.CommandConsumer;
import dev.switchboard.room.messaging.RoomDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every loop of this instance runs or can still restart itself: one check per loop. A loop that
 * cannot restart is down, and the process is to be restarted. Kafka being away is no such thing: the loops
 * wait for it, and readiness says so.
 */
@ApplicationScoped
public class LivenessChecks {

    private final CommandConsumer commands;
    private final RoomDirectory directory;
    private final AdminCommands admin;

    public LivenessChecks(CommandConsumer commands, RoomDirectory directory, AdminCommands admin) {
        this.commands = commands;
        this.directory = directory;
        this.admin = admin;
    }

    /** The rooms' commands, and the takeover of the partitions this instance is given. */
    @Produces
    @Liveness
    HealthCheck roomCommands() {
        return () -> HealthCheckResponse.named("room-commands").status(commands.alive()).build();
    }

    /** The directory of every room, behind the admin API's listings. */
    @Produces
    @Liveness
    HealthCheck roomStatusTail() {
        return () -> check("room-status-tail", directory.health());
    }

    /** The answers to this instance's operator commands. */
    @Produces
    @Liveness
    HealthCheck adminRepliesTail() {
        return () -> check("admin-replies-tail", admin.health());
    }

    private static HealthCheckResponse check(String name, TopicTail.Health health) {
        return HealthCheckResponse.named(name).status(health.alive())
                .withData("restarts", health.restarts())
                .withData("setAside", health.setAside())
                .build();
    }
}
