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

    /**
     * The kind of a record another service wrote: null for one this build does not know (a newer service's),
     * so that such a stream stays readable. A client's request is held to {@link #require}.
     */
    @JsonCreator
    public static StreamKind fromWire(String name) {
        for (StreamKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    public static StreamKind require(String name) {
        StreamKind kind = fromWire(name);
        if (kind == null) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, "kind must be camera or screen");
        }
        return kind;
    }
}
