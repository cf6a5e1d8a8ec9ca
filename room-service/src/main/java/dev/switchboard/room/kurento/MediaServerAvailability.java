package dev.switchboard.room.kurento;

/** The media server became reachable or unreachable: a CDI event every room hears. */
public record MediaServerAvailability(boolean available) {
}
