package dev.switchboard.contracts.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a Switchboard JWT says: {@code sub} the user, {@code name} the display name, {@code rooms} the
 * rooms the user may join ({@code *} for any), {@code roles} ({@code admin}), {@code exp}.
 */
public record TokenClaims(String sub, String name, List<String> rooms, List<String> roles, Instant exp) {

    public static final String ANY_ROOM = "*";
    public static final String ADMIN = "admin";

    public TokenClaims {
        rooms = rooms == null ? List.of() : List.copyOf(rooms);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean mayJoin(String roomId) {
        return rooms.contains(ANY_ROOM) || rooms.contains(roomId);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
