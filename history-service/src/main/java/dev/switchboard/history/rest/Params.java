package dev.switchboard.history.rest;

import dev.switchboard.history.call.InvalidRequestException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads query parameters given as text, so that a bad value gets a message instead of a bare 404. */
final class Params {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Params() {
    }

    static Instant instant(String name, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    name + " must be an ISO-8601 instant such as 2026-11-23T08:00:00Z, not '" + value + "'");
        }
    }

    static int limit(String value) {
        if (blank(value)) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, as any other value out of range
        }
        throw new InvalidRequestException(
                "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }

    static void requireOrder(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidRequestException("from must be before to");
        }
    }

    static String blankToNull(String value) {
        return blank(value) ? null : value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
