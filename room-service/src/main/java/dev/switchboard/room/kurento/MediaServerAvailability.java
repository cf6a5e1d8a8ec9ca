package dev.switchboard.room.kurento;

/** A media server became reachable or unreachable: a CDI event every room hears, and heeds if it is placed there. */
public record MediaServerAvailability(String mediaServer, boolean available) {
}
