package dev.switchboard.history.call;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

public enum CallState {
    ACTIVE, ENDED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
