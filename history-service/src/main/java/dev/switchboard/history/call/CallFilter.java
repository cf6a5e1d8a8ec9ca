package dev.switchboard.history.call;

import java.time.Instant;

/**
 * Which calls to list; a null field does not filter. {@code from} and {@code to} bound the start time,
 * from inclusive, to exclusive. {@code after} is where the previous page ended.
 */
public record CallFilter(String roomId, String userId, Instant from, Instant to, CallState state, int limit,
                         CallCursor after) {
}
