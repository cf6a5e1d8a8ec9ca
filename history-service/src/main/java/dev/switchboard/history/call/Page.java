package dev.switchboard.history.call;

import java.util.List;

/** One page of a listing; {@code nextCursor} is absent on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
