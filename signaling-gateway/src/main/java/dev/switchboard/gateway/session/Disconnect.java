package dev.switchboard.gateway.session;

/** Why the gateway closes a client's socket, with the WebSocket close code the client sees. */
enum Disconnect {
    /** A message over the size limit. */
    MESSAGE_TOO_BIG(1009, "messageTooBig"),
    /** Too many frames the client has not read yet. */
    SLOW_READER(1008, "slowReader"),
    /** Nothing heard, not even a pong, for the idle timeout. */
    IDLE(1001, "idle"),
    /** This gateway stops; the client reconnects to another and resumes. */
    SHUTDOWN(1001, "shutdown");

    private final int code;
    private final String tag;

    Disconnect(int code, String tag) {
        this.code = code;
        this.tag = tag;
    }

    int code() {
        return code;
    }

    String tag() {
        return tag;
    }
}
