package dev.switchboard.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Which gateway this is: room-service addresses replies to this id. */
@ApplicationScoped
public class GatewayIdentity {

    private final String id;

    GatewayIdentity(SwitchboardConfig config) {
        this.id = config.gateway().id().orElseGet(() -> UUID.randomUUID().toString());
    }

    public String id() {
        return id;
    }
}
