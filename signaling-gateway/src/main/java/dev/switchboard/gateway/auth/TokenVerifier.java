package dev.switchboard.gateway.auth;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.auth.VerificationKey;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.gateway.config.SwitchboardConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.security.Key;
import java.time.Instant;
import java.util.List;

/**
 * Verifies client JWTs (signature, {@code exp}, {@code sub}) with the configured HS256 secret or RS256
 * public key. Created at startup so that a gateway without a key fails at once, not at the first join.
 */
@Startup
@ApplicationScoped
public class TokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 30;

    private final JwtConsumer consumer;

    @Inject
    TokenVerifier(SwitchboardConfig config) {
        this(config.jwt());
    }

    TokenVerifier(SwitchboardConfig.Jwt jwt) {
        VerificationKey key = VerificationKey.of(jwt.secret(), jwt.publicKey());
        consumer = consumer(key.key(), switch (key.algorithm()) {
            case HS256 -> AlgorithmIdentifiers.HMAC_SHA256;
            case RS256 -> AlgorithmIdentifiers.RSA_USING_SHA256;
        });
    }

    /** The claims of a valid token; a missing, expired or forged one fails with 4001. */
    public TokenClaims verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            return new TokenClaims(claims.getSubject(), claims.getStringClaimValue("name"),
                    stringList(claims, "rooms"), stringList(claims, "roles"),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException e) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, reason(e));
        } catch (MalformedClaimException e) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "token claims are malformed: " + e.getMessage());
        }
    }

    private static List<String> stringList(JwtClaims claims, String name) throws MalformedClaimException {
        return claims.hasClaim(name) ? claims.getStringListClaimValue(name) : List.of();
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "token has expired; get a new one";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "token signature is not valid";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "token must carry sub and exp";
        }
        return "token is not a valid JWT for this service";
    }

    private static JwtConsumer consumer(Key key, String algorithm) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .build();
    }
}
