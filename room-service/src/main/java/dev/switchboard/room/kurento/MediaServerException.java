package dev.switchboard.room.kurento;

/** The media server refused a call or could not be reached. */
public class MediaServerException extends RuntimeException {

    /** Whose fault it is, which decides what the room does about it. */
    public enum Kind {
        /** The client's input: an SDP the media server cannot read. The client is told; the room goes on. */
        BAD_INPUT,
        /** The object is gone from the media server, as after its restart. */
        NOT_FOUND,
        /** The media server failed or refused the call. */
        FAILED,
        /** The media server cannot be reached. Rooms wait for it. */
        UNREACHABLE
    }

    private final Kind kind;

    public MediaServerException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
