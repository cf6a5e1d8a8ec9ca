package dev.switchboard.emulator.media;

import java.util.List;

/** Kurento's MediaType, declared in KMS's order (which is also the order it lists connections in). */
public enum MediaType {
    AUDIO, DATA, VIDEO;

    /** The kinds of media whose flow KMS reports; DATA has no flow events. */
    public static final List<MediaType> FLOWING_KINDS = List.of(AUDIO, VIDEO);

    /** The type of an SDP media section, or null for one that carries no audio or video. */
    public static MediaType ofSdpMedia(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
