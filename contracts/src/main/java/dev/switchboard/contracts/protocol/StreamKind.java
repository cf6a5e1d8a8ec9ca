package dev.switchboard.contracts.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a published stream carries. */
public enum StreamKind {
    CAMERA, SCREEN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static StreamKind fromWire(String name) {
        for (StreamKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new ProtocolException(ErrorCode.INVALID_PARAMS, "kind must be camera or screen");
    }
}
