package dev.switchboard.gateway.support;

import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.protocol.RoomStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Values the gateway tests share. */
public final class Fixtures {

    public static final String SECRET = "switchboard-local-development-secret-not-for-production";
    public static final Duration WAIT = Duration.ofSeconds(10);

    private Fixtures() {
    }

    public static String newRoomId() {
        return "room-" + UUID.randomUUID();
    }

    /** A valid token of {@code user} (display name: the id in capitals) for the given rooms. */
    public static String token(String user, String... rooms) {
        return Hs256Tokens.sign(new TokenClaims(user, user.toUpperCase(), Arrays.asList(rooms), List.of(),
                Instant.now().plusSeconds(600)), SECRET);
    }

    public static Map<String, Object> joinParams(String roomId, String token) {
        return Map.of("roomId", roomId, "token", token);
    }

    public static RoomStatus status(String roomId, long version) {
        return new RoomStatus(roomId, "call-" + roomId, version, Instant.parse("2026-01-01T00:00:00Z"), List.of());
    }
}
