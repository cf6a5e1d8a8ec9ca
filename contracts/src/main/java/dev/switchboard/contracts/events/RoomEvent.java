package dev.switchboard.contracts.events;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.switchboard.contracts.json.FormatVersion;

import java.time.Instant;
import java.util.UUID;

/**
 * One record of a call on {@code room-events}, keyed by room id: a CloudEvents 1.0 event in JSON
 * structured mode (contract). {@code type} is the name of {@code data}'s record; {@code sequence} counts
 * the events of one call from 1 without gaps, so a consumer orders by it and sees what it missed;
 * {@code id} is unique, so a consumer drops what it saw twice. {@code data} is null when of a type this build
 * does not know (a newer room-service's). {@code formatversion}, an extension attribute, is the version of the
 * format the event was written in.
 */
public record RoomEvent(
        String specversion,
        String id,
        String source,
        String subject,
        Instant time,
        String callid,
        long sequence,
        String datacontenttype,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "type")
        EventData data,
        FormatVersion formatversion) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "/switchboard/room-service";
    public static final String CONTENT_TYPE = "application/json";

    public RoomEvent {
        formatversion = FormatVersion.requireReadable(formatversion, "event " + id + " of room " + subject);
    }

    public static RoomEvent of(String roomId, String callId, long sequence, Instant time, EventData data) {
        return new RoomEvent(SPEC_VERSION, UUID.randomUUID().toString(), SOURCE, roomId, time, callId, sequence,
                CONTENT_TYPE, data, FormatVersion.CURRENT);
    }

    /** The room the event is about (CloudEvents {@code subject}). */
    public String roomId() {
        return subject;
    }

    /** The CloudEvents {@code type}, such as {@code participant.joined}. */
    public String type() {
        return EventData.typeOf(data);
    }
}
