package dev.switchboard.history.rest;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.history.call.Viewer;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The reader of the current request, as its token says. */
@ApplicationScoped
public class Viewers {

    private final JsonWebToken token;
    private final SecurityIdentity identity;

    public Viewers(JsonWebToken token, SecurityIdentity identity) {
        this.token = token;
        this.identity = identity;
    }

    Viewer current() {
        return new Viewer(token.getSubject(), identity.hasRole(TokenClaims.ADMIN));
    }
}
