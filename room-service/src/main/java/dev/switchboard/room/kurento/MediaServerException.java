package dev.switchboard.room.kurento;

/** The media server refused a call or could not be reached. */
public class MediaServerException extends RuntimeException {

    /** Whether the client's input caused it (an SDP the media server cannot parse), not the server. */
    private final boolean badInput;

    public MediaServerException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    public boolean badInput() {
        return badInput;
    }
}
