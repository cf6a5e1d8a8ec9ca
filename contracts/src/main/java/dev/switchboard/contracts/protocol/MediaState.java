package dev.switchboard.contracts.protocol;

/** What the media server reports of a stream's media. */
public enum MediaState {
    CONNECTED, FLOWING, NOT_FLOWING, DISCONNECTED
}
