package dev.switchboard.history.config;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtVerificationTest {

    private final JwtVerification verification = new JwtVerification();

    @Test
    void aSecretVerifiesHs256AndRolesAreTheGroups() {
        JWTAuthContextInfo info = verification.contextInfo(config(Optional.of("a".repeat(32)), Optional.empty()));

        assertThat(info.getSignatureAlgorithm()).containsExactly(SignatureAlgorithm.HS256);
        assertThat(info.getSecretVerificationKey().getEncoded()).hasSize(32);
        assertThat(info.getGroupsPath()).isEqualTo("roles");
    }

    @Test
    void aPemPublicKeyVerifiesRs256() throws NoSuchAlgorithmException {
        PublicKey key = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        JWTAuthContextInfo info = verification.contextInfo(config(Optional.empty(), Optional.of(pem)));

        assertThat(info.getSignatureAlgorithm()).containsExactly(SignatureAlgorithm.RS256);
        assertThat(info.getPublicVerificationKey()).isEqualTo(key);
    }

    @Test
    void exactlyOneKeyOfUsableLength() {
        assertThatThrownBy(() -> verification.contextInfo(config(Optional.empty(), Optional.empty())))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> verification.contextInfo(config(Optional.of("x".repeat(32)), Optional.of("pem"))))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> verification.contextInfo(config(Optional.of("short"), Optional.empty())))
                .hasMessageContaining("at least 32 bytes");
    }

    private static HistoryConfig config(Optional<String> secret, Optional<String> publicKey) {
        HistoryConfig.Jwt jwt = new HistoryConfig.Jwt() {
            @Override
            public Optional<String> secret() {
                return secret;
            }

            @Override
            public Optional<String> publicKey() {
                return publicKey;
            }
        };
        return new HistoryConfig() {
            @Override
            public Jwt jwt() {
                return jwt;
            }

            @Override
            public Kafka kafka() {
                throw new UnsupportedOperationException();
            }

            @Override
            public History history() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
