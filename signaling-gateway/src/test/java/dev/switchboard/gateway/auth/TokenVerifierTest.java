package dev.switchboard.gateway.auth;

import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.gateway.config.SwitchboardConfig;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

    @Test
    void gatewayWithoutAKeyDoesNotStart() {
        assertThatThrownBy(() -> new TokenVerifier(jwt(null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SWITCHBOARD_JWT_SECRET")
                .hasMessageContaining("SWITCHBOARD_JWT_PUBLIC_KEY");
        assertThatThrownBy(() -> new TokenVerifier(jwt("short", null))).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new TokenVerifier(jwt(null, "not a key"))).hasMessageContaining("PEM");
    }

    @Test
    void rs256TokensVerifyWithThePublicKeyOnly() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        TokenVerifier verifier = new TokenVerifier(jwt(null, pem));

        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        claims.setStringListClaim("rooms", "demo");
        claims.setStringListClaim("roles", "admin");
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 60));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);

        TokenClaims verified = verifier.verify(jws.getCompactSerialization());

        assertThat(verified.sub()).isEqualTo("alice");
        assertThat(verified.mayJoin("demo")).isTrue();
        assertThat(verified.isAdmin()).isTrue();
        assertThat(verified.roles()).isEqualTo(List.of("admin"));
    }

    @Test
    void unsignedTokensAreRefused() {
        TokenVerifier verifier = new TokenVerifier(jwt("switchboard-local-development-secret-not-for-production", null));
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"eve\",\"rooms\":[\"*\"],\"exp\":9999999999}".getBytes());

        assertThatThrownBy(() -> verifier.verify(header + "." + payload + "."))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED));
    }

    private static SwitchboardConfig.Jwt jwt(String secret, String publicKey) {
        return new SwitchboardConfig.Jwt() {
            @Override
            public Optional<String> secret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Optional<String> publicKey() {
                return Optional.ofNullable(publicKey);
            }
        };
    }
}
