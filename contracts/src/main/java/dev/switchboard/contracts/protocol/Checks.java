package dev.switchboard.contracts.protocol;

/** Validation of protocol values: a failed check is the client's fault and says what to fix. */
final class Checks {

    static final int MAX_ID_LENGTH = 128;
    static final int MAX_SDP_LENGTH = 64 * 1024;

    private Checks() {
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new ProtocolException(ErrorCode.INVALID_PARAMS, message);
        }
    }

    static String id(String value, String name) {
        require(value != null && !value.isBlank(), name + " is required");
        require(value.length() <= MAX_ID_LENGTH, name + " is longer than " + MAX_ID_LENGTH + " characters");
        return value;
    }

    static String sdp(String value, String name) {
        require(value != null && value.startsWith("v=0"), name + " must be an SDP starting with v=0");
        require(value.length() <= MAX_SDP_LENGTH, name + " is longer than " + MAX_SDP_LENGTH + " characters");
        return value;
    }
}
