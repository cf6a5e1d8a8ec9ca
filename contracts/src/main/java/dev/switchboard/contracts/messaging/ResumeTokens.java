package dev.switchboard.contracts.messaging;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Resume tokens name their room, so that any gateway can route a {@code resume} to the room's owner,
 * and carry 256 random bits, so that only the participant that was given one can use it.
 */
public final class ResumeTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ResumeTokens() {
    }

    public static String issue(String roomId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return ENCODER.encodeToString(roomId.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(secret);
    }

    /** The room a token was issued for; empty when the token is not one of ours. */
    public static Optional<String> roomOf(String resumeToken) {
        int dot = resumeToken.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(resumeToken.substring(0, dot)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
