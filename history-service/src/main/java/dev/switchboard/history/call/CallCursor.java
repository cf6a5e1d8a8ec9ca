package dev.switchboard.history.call;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** The position of a call in the newest-first order of listings, opaque to clients. */
public record CallCursor(Instant startedAt, String callId) {

    private static final char SEPARATOR = '|';

    public static CallCursor of(Call call) {
        return new CallCursor(call.startedAt, call.callId);
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((startedAt.toString() + SEPARATOR + callId).getBytes(StandardCharsets.UTF_8));
    }

    public static CallCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int separator = text.indexOf(SEPARATOR);
            if (separator > 0) {
                return new CallCursor(Instant.parse(text.substring(0, separator)), text.substring(separator + 1));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below, the same way as a cursor without separator
        }
        throw new InvalidRequestException("cursor is not one this service returned; pass nextCursor as it came");
    }
}
