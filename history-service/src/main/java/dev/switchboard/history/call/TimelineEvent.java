package dev.switchboard.history.call;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One event of a call's timeline, with its CloudEvents data as it was published. */
public record TimelineEvent(String id, long sequence, String type, Instant time, JsonNode data) {
}
