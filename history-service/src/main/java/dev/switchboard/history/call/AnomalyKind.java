package dev.switchboard.history.call;

import com.fasterxml.jackson.annotation.JsonValue;

/** What was wrong with an event that the history could not take as it came. */
public enum AnomalyKind {
    /** The call's sequence skipped numbers: events were lost upstream (or have not arrived yet). */
    SEQUENCE_GAP("sequenceGap"),
    /** Two distinct events carry the same sequence number. */
    DUPLICATE_SEQUENCE("duplicateSequence"),
    /** The call's first event was not call.started. */
    MISSING_CALL_STARTED("missingCallStarted"),
    /** A second call.started for a call that had started already. */
    REPEATED_CALL_STARTED("repeatedCallStarted"),
    /** An event after call.ended: recorded in the timeline, not applied. */
    AFTER_CALL_ENDED("afterCallEnded"),
    /** An event about a participant that never joined, or that had left already. */
    UNKNOWN_PARTICIPANT("unknownParticipant"),
    /** participant.joined for a participant already in the call. */
    REPEATED_JOIN("repeatedJoin"),
    /** stream.published for a stream id the call has already seen. */
    REPEATED_PUBLISH("repeatedPublish"),
    /** An event about a stream that was never published, or was unpublished already. */
    UNKNOWN_STREAM("unknownStream");

    private final String wireName;

    AnomalyKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
