package dev.switchboard.contracts.protocol;

/** The error codes of the client protocol: JSON-RPC's own and Switchboard's. */
public enum ErrorCode {
    PARSE_ERROR(-32700),
    INVALID_REQUEST(-32600),
    METHOD_NOT_FOUND(-32601),
    INVALID_PARAMS(-32602),
    INTERNAL(-32603),
    NOT_AUTHENTICATED(4001),
    FORBIDDEN(4003),
    NOT_FOUND(4004),
    CONFLICT(4009),
    RATE_LIMITED(4029),
    UNAVAILABLE(5003),
    TIMED_OUT(5004);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
