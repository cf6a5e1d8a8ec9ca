package dev.switchboard.gateway.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.protocol.ClientRequest;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;

import java.util.stream.Collectors;

/** JSON-RPC 2.0 framing of the client protocol: reading requests, writing responses and notifications. */
public final class JsonRpc {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String VERSION = "2.0";

    private JsonRpc() {
    }

    public static Inbound read(String frame) {
        JsonNode json;
        try {
            json = MAPPER.readTree(frame);
        } catch (JsonProcessingException e) {
            return invalid(NullNode.getInstance(), ErrorCode.PARSE_ERROR, "frame is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            return invalid(NullNode.getInstance(), ErrorCode.INVALID_REQUEST,
                    "a frame must be one JSON-RPC request object (batches are not supported)");
        }
        JsonNode id = json.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return invalid(NullNode.getInstance(), ErrorCode.INVALID_REQUEST, "id must be a string or a number");
        }
        if (!VERSION.equals(json.path("jsonrpc").textValue())) {
            return invalid(idOrNull(id), ErrorCode.INVALID_REQUEST, "jsonrpc must be \"2.0\"");
        }
        JsonNode method = json.get("method");
        if (method == null || !method.isTextual()) {
            return invalid(idOrNull(id), ErrorCode.INVALID_REQUEST, "method must be a string");
        }
        Class<? extends ClientRequest> type = ClientRequest.METHODS.get(method.textValue());
        if (type == null) {
            return invalid(id, ErrorCode.METHOD_NOT_FOUND, "unknown method " + abbreviate(method.textValue())
                    + "; methods are " + ClientRequest.METHODS.keySet().stream().sorted().collect(Collectors.joining(", ")));
        }
        JsonNode params = json.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            return invalid(id, ErrorCode.INVALID_PARAMS, "params must be an object of named parameters");
        }
        try {
            ClientRequest request = MAPPER.treeToValue(params == null || params.isNull() ? MAPPER.createObjectNode() : params, type);
            return new Inbound.Call(id, method.textValue(), request);
        } catch (JsonProcessingException e) {
            return new Inbound.Invalid(id, paramsError(e));
        }
    }

    public static String result(JsonNode id, RequestResult result) {
        ObjectNode frame = envelope().set("id", id);
        frame.set("result", MAPPER.valueToTree(result));
        return frame.toString();
    }

    public static String error(JsonNode id, int code, String message) {
        ObjectNode frame = envelope().set("id", id);
        frame.putObject("error").put("code", code).put("message", message);
        return frame.toString();
    }

    public static String notification(ServerNotification notification) {
        ObjectNode frame = envelope().put("method", notification.method());
        frame.set("params", MAPPER.valueToTree(notification));
        return frame.toString();
    }

    private static ObjectNode envelope() {
        return MAPPER.createObjectNode().put("jsonrpc", VERSION);
    }

    private static Inbound invalid(JsonNode id, ErrorCode code, String message) {
        return new Inbound.Invalid(id, new ProtocolException(code, message));
    }

    /** A request too broken to act on is still answered, with a null id when it had none. */
    private static JsonNode idOrNull(JsonNode id) {
        return id == null ? NullNode.getInstance() : id;
    }

    /** The validation message of the params record, or which field has the wrong type. */
    private static ProtocolException paramsError(JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ProtocolException invalid) {
                return invalid;
            }
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new ProtocolException(ErrorCode.INVALID_PARAMS, "params." + field + " has the wrong type");
        }
        return new ProtocolException(ErrorCode.INVALID_PARAMS, "params do not match the method");
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
