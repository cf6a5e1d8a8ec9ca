package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.Set;
import java.util.UUID;

/**
 * The requests KMS understands. Parsing checks parameters exactly as KMS's ServerMethods do, in the
 * same order, so a request with several faults fails with the error KMS would report first. Where a
 * request may start a session, parsing also picks the new session id.
 */
sealed interface KmsRequest {

    Set<String> METHODS = Set.of("connect", "create", "invoke", "subscribe", "unsubscribe", "release", "ref", "unref",
            "keepAlive", "describe", "transaction", "ping", "closeSession");

    record Ping(String sessionId) implements KmsRequest {
    }

    /** {@code resume}: the client named a session, which must still exist. */
    record Connect(String sessionId, boolean resume) implements KmsRequest {
    }

    record Create(String type, String sessionId, JsonNode constructorParams) implements KmsRequest {
    }

    record Invoke(String operation, String object, JsonNode operationParams, String sessionId) implements KmsRequest {
    }

    record Subscribe(String type, String object, String sessionId) implements KmsRequest {
    }

    record Unsubscribe(String object, String subscription, String sessionId) implements KmsRequest {
    }

    record Release(String object, String sessionId) implements KmsRequest {
    }

    record Ref(String object, String sessionId) implements KmsRequest {
    }

    record Unref(String object, String sessionId) implements KmsRequest {
    }

    record KeepAlive(String sessionId) implements KmsRequest {
    }

    record Describe(String object, String sessionId) implements KmsRequest {
    }

    record Transaction(JsonNode operations, String sessionId) implements KmsRequest {
    }

    record CloseSession(String sessionId, boolean release) implements KmsRequest {
    }

    static boolean knows(String method) {
        return METHODS.contains(method);
    }

    static KmsRequest parse(String method, JsonNode params) {
        return switch (method) {
            case "ping" -> new Ping(Json.text(params, "sessionId"));
            case "connect" -> connect(params);
            case "create" -> {
                requireParams(params);
                String type = value(params, "type");
                yield new Create(type, sessionOrNew(params), params.get("constructorParams"));
            }
            case "invoke" -> {
                requireParams(params);
                String operation = value(params, "operation");
                String object = value(params, "object");
                yield new Invoke(operation, object, params.get("operationParams"), sessionOrNew(params));
            }
            case "subscribe" -> {
                requireParams(params);
                String type = value(params, "type");
                String object = value(params, "object");
                yield new Subscribe(type, object, sessionOrNew(params));
            }
            case "unsubscribe" -> {
                requireParams(params);
                String object = value(params, "object");
                String subscription = value(params, "subscription");
                yield new Unsubscribe(object, subscription, value(params, "sessionId"));
            }
            case "release" -> {
                requireParams(params);
                String object = value(params, "object");
                yield new Release(object, sessionOrNew(params));
            }
            case "ref" -> {
                requireParams(params);
                String object = value(params, "object");
                yield new Ref(object, value(params, "sessionId"));
            }
            case "unref" -> {
                requireParams(params);
                String object = value(params, "object");
                yield new Unref(object, value(params, "sessionId"));
            }
            case "keepAlive" -> {
                requireParams(params);
                yield new KeepAlive(value(params, "sessionId"));
            }
            case "describe" -> {
                requireParams(params);
                String sessionId = sessionOrNew(params);
                yield new Describe(value(params, "object"), sessionId);
            }
            case "transaction" -> {
                requireParams(params);
                String sessionId = sessionOrNew(params);
                JsonNode operations = params.get("operations");
                if (operations == null) {
                    throw KmsException.rpc(KmsException.SERVER_ERROR, "'operations' parameter is required");
                }
                if (!operations.isArray()) {
                    throw KmsException.rpc(KmsException.SERVER_ERROR, "'operations' parameter should be an array");
                }
                yield new Transaction(operations, sessionId);
            }
            case "closeSession" -> {
                requireParams(params);
                boolean release = params.path("release").asBoolean(false);
                yield new CloseSession(value(params, "sessionId"), release);
            }
            default -> throw KmsException.rpc(KmsException.METHOD_NOT_FOUND, "Method not found.");
        };
    }

    /** Without params a new session; with a session id, that session if it still exists; else a new one. */
    private static Connect connect(JsonNode params) {
        String sessionId = params == null || params.isNull() ? null : Json.text(params, "sessionId");
        return sessionId == null ? new Connect(UUID.randomUUID().toString(), false) : new Connect(sessionId, true);
    }

    private static void requireParams(JsonNode params) {
        if (params == null || params.isNull()) {
            throw KmsException.rpc(KmsException.INVALID_PARAMS, "'params' is required", Json.object().put("type", "INVALID_PARAMS"));
        }
    }

    /** KMS's JsonRpc::getValue for strings: present and a scalar. */
    private static String value(JsonNode params, String name) {
        JsonNode value = params.isObject() ? params.get(name) : null;
        if (value == null) {
            throw KmsException.rpc(KmsException.SERVER_ERROR, "'" + name + "' parameter is required");
        }
        if (value.isContainerNode()) {
            throw KmsException.rpc(KmsException.SERVER_ERROR, "'" + name + "' parameter should be a string");
        }
        return value.isNull() ? "" : value.asText();
    }

    /** The request's session, or a new one: a socket's first creating or resolving call starts its session. */
    private static String sessionOrNew(JsonNode params) {
        JsonNode sessionId = params.isObject() ? params.get("sessionId") : null;
        return sessionId == null || sessionId.isContainerNode() ? UUID.randomUUID().toString() : sessionId.asText();
    }
}
