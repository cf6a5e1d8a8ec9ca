package dev.switchboard.history;

import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;

import java.time.Instant;
import java.util.List;

/** Bearer tokens as the identity provider would issue them, signed with the test profile's secret. */
public final class Tokens {

    public static final String SECRET = "switchboard-local-development-secret-not-for-production";

    private Tokens() {
    }

    public static String admin() {
        return sign(new TokenClaims("operator", "Operator", List.of(TokenClaims.ANY_ROOM), List.of(TokenClaims.ADMIN),
                Instant.now().plusSeconds(3600)), SECRET);
    }

    public static String user(String userId) {
        return sign(new TokenClaims(userId, userId, List.of(TokenClaims.ANY_ROOM), List.of(),
                Instant.now().plusSeconds(3600)), SECRET);
    }

    public static String sign(TokenClaims claims, String secret) {
        return Hs256Tokens.sign(claims, secret);
    }
}
