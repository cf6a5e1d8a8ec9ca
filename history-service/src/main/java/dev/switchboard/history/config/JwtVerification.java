package dev.switchboard.history.config;

import dev.switchboard.contracts.auth.VerificationKey;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Verifies tokens with Switchboard's key settings. smallrye-jwt's own properties take an HS256 secret only
 * as a JSON Web Key; operators give the plain secret, as the other services take it, so the verification
 * context is built here instead.
 */
@Singleton
public class JwtVerification {

    /** Built at startup, so that a missing or bad key stops the service instead of failing each request. */
    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    @Startup
    JWTAuthContextInfo contextInfo(HistoryConfig config) {
        return VerificationKey.of(config.jwt().secret(), config.jwt().publicKey()).smallRyeContext();
    }
}
