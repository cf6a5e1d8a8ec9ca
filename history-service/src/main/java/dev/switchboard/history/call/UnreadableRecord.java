package dev.switchboard.history.call;

/** A record of room-events that is not a room event this service can read, kept for an operator. */
public record UnreadableRecord(String topic, int partition, long offset, String key, String payload, String error) {
}
