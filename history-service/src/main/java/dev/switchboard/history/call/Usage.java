package dev.switchboard.history.call;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * How much calling happened: calls started in [from, to) and their minutes. A call's minutes are its
 * duration; a user's minutes are the time they spent in calls. Active calls count up to now.
 */
public final class Usage {

    private Usage() {
    }

    public record Period(Instant from, Instant to) {
    }

    public record Day(LocalDate day, long calls, double minutes) {
    }

    public record Room(String roomId, long calls, double minutes) {
    }

    public record User(String userId, long calls, double minutes) {
    }

    public record Report<T>(Instant from, Instant to, List<T> items) {
    }
}
