package dev.switchboard.contracts.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The key every service verifies Switchboard JWTs with, from its two settings: an HS256 secret
 * ({@code switchboard.jwt.secret}) or an RS256 public key ({@code switchboard.jwt.public-key}), exactly one.
 */
public record VerificationKey(Key key, Algorithm algorithm) {

    /** Switchboard's role claim, instead of MicroProfile's {@code groups}. */
    public static final String ROLES_CLAIM = "roles";

    /** HS256 needs a key at least as long as its hash (RFC 7518, 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    public enum Algorithm {
        HS256, RS256
    }

    /** @throws IllegalStateException with what to set, when the settings give no usable key */
    public static VerificationKey of(Optional<String> secret, Optional<String> publicKeyPem) {
        if (secret.isPresent() == publicKeyPem.isPresent()) {
            throw new IllegalStateException("set exactly one of switchboard.jwt.secret (SWITCHBOARD_JWT_SECRET, HS256)"
                    + " and switchboard.jwt.public-key (SWITCHBOARD_JWT_PUBLIC_KEY, RS256 public key in PEM)");
        }
        return secret.map(VerificationKey::hs256).orElseGet(() -> rs256(publicKeyPem.get()));
    }

    /**
     * smallrye-jwt's verification context for this key, with {@code roles} as the groups claim: its own
     * properties take an HS256 secret only as a JSON Web Key, not as the plain secret operators give.
     */
    public JWTAuthContextInfo smallRyeContext() {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        switch (algorithm) {
            case HS256 -> info.setSecretVerificationKey((SecretKey) key);
            case RS256 -> info.setPublicVerificationKey((PublicKey) key);
        }
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.valueOf(algorithm.name())));
        info.setGroupsPath(ROLES_CLAIM);
        return info;
    }

    private static VerificationKey hs256(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("switchboard.jwt.secret must be at least " + MIN_SECRET_BYTES
                    + " bytes long for HS256");
        }
        return new VerificationKey(new SecretKeySpec(bytes, "HmacSHA256"), Algorithm.HS256);
    }

    private static VerificationKey rs256(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return new VerificationKey(KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))), Algorithm.RS256);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("switchboard.jwt.public-key is not an RSA public key in PEM"
                    + " (-----BEGIN PUBLIC KEY-----): " + e.getMessage(), e);
        }
    }
}
