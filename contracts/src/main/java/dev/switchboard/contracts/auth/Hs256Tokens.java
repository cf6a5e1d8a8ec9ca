package dev.switchboard.contracts.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Signs Switchboard JWTs with an HS256 secret: for local runs, tests and load generators. Production
 * tokens come from the operator's identity provider; the services only verify.
 */
public final class Hs256Tokens {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private Hs256Tokens() {
    }

    public static String sign(TokenClaims claims, String secret) {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("sub", claims.sub());
        if (claims.name() != null) {
            payload.put("name", claims.name());
        }
        claims.rooms().forEach(payload.putArray("rooms")::add);
        claims.roles().forEach(payload.putArray("roles")::add);
        payload.put("iat", java.time.Instant.now().getEpochSecond());
        payload.put("exp", claims.exp().getEpochSecond());
        String signingInput = HEADER + "." + BASE64URL.encodeToString(Json.writeBytes(payload));
        return signingInput + "." + BASE64URL.encodeToString(hmac(signingInput, secret));
    }

    private static byte[] hmac(String signingInput, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
