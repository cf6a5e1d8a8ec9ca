package dev.switchboard.gateway.auth;

import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.gateway.config.SwitchboardConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Mints tokens for local runs and tests; only when enabled and the gateway verifies with an HS256 secret. */
@ApplicationScoped
public class DevTokenIssuer {

    private final Optional<String> secret;

    DevTokenIssuer(SwitchboardConfig config) {
        this.secret = config.devTokens().enabled() ? config.jwt().secret() : Optional.empty();
    }

    public boolean enabled() {
        return secret.isPresent();
    }

    /** A token for {@code user}; without rooms it allows any room. */
    public Optional<String> issue(String user, String name, List<String> rooms, boolean admin, Duration ttl) {
        return secret.map(key -> Hs256Tokens.sign(new TokenClaims(user, name,
                rooms.isEmpty() ? List.of(TokenClaims.ANY_ROOM) : rooms,
                admin ? List.of(TokenClaims.ADMIN) : List.of(),
                Instant.now().plus(ttl)), key));
    }
}
