package dev.switchboard.emulator.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failed call, as KMS reports it: a code, a message and, for Kurento errors, {@code data.type}.
 * JSON-RPC level errors (negative codes) carry no data unless KMS attaches some, as it does for
 * notifications.
 */
public final class KmsException extends RuntimeException {

    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** What jsonrpc's getValue throws for a missing or mistyped parameter. */
    public static final int SERVER_ERROR = -32000;

    private final int code;
    private final transient JsonNode data;

    private KmsException(int code, String message, JsonNode data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public static KmsException of(KmsError error, String message) {
        return of(error.code(), message);
    }

    /** A Kurento error with any code, typed the way KMS types it. */
    public static KmsException of(int code, String message) {
        return new KmsException(code, message, Json.object().put("type", KmsError.typeOf(code)));
    }

    public static KmsException rpc(int code, String message) {
        return new KmsException(code, message, null);
    }

    public static KmsException rpc(int code, String message, JsonNode data) {
        return new KmsException(code, message, data);
    }

    public static KmsException notFound(String objectId) {
        return of(KmsError.MEDIA_OBJECT_NOT_FOUND, "Object '" + objectId + "' not found");
    }

    public int code() {
        return code;
    }

    /** The {@code error} member of a response. */
    public ObjectNode toErrorNode() {
        ObjectNode error = Json.object().put("code", code).put("message", getMessage());
        if (data != null) {
            error.set("data", data);
        }
        return error;
    }
}
