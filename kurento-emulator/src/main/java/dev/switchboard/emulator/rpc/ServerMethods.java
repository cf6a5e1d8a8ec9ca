package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.objects.CallContext;
import dev.switchboard.emulator.objects.Factories;
import dev.switchboard.emulator.objects.Kmd;
import dev.switchboard.emulator.objects.MediaObjectImpl;
import dev.switchboard.emulator.objects.MediaSet;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.time.Duration;

/**
 * The JSON-RPC methods of KMS (its ServerMethods): parameter rules, session ids and result shapes as
 * the real server has them. Everything here runs on the emulator's event loop.
 */
final class ServerMethods {

    /** A reply to send, and how long the operation itself asked to wait before sending it. */
    record Outcome(ObjectNode reply, Duration delay) {
    }

    private static final String NEW_REF = "newref:";

    private final MediaSet mediaSet;
    private final String serverId;

    ServerMethods(MediaSet mediaSet, String serverId) {
        this.mediaSet = mediaSet;
        this.serverId = serverId;
    }

    /** A well-formed request is a JSON object with {@code "jsonrpc":"2.0"}, a string method and a scalar id. */
    static boolean isRequest(JsonNode message) {
        if (!message.isObject() || !"2.0".equals(Json.text(message, "jsonrpc"))) {
            return false;
        }
        JsonNode id = message.get("id");
        if (id != null && id.isContainerNode()) {
            return false;
        }
        return message.path("method").isTextual();
    }

    static ObjectNode methodNotFound(JsonNode request) {
        return Replies.error(request.get("id"), KmsException.rpc(KmsException.METHOD_NOT_FOUND, "Method not found."));
    }

    /** Runs a request of a known method; a notification gets no reply unless KMS would complain about it. */
    Outcome execute(ObjectNode request) {
        JsonNode id = request.get("id");
        try {
            Result result = call(request.path("method").asText(), request.get("params"));
            if (Replies.isNotification(request)) {
                if (result.value() != null && !result.value().isNull()) {
                    throw KmsException.rpc(KmsException.SERVER_ERROR, "Ignoring response because of a notification request", result.value());
                }
                return new Outcome(null, Duration.ZERO);
            }
            return new Outcome(Replies.success(id, result.value()), result.delay());
        } catch (KmsException e) {
            return new Outcome(Replies.error(Replies.isNotification(request) ? null : id, e), Duration.ZERO);
        } catch (RuntimeException e) {
            KmsException internal = KmsException.rpc(KmsException.INTERNAL_ERROR, "Unexpected error while processing method: " + e);
            return new Outcome(Replies.error(id, internal), Duration.ZERO);
        }
    }

    private record Result(JsonNode value, Duration delay) {

        static Result of(JsonNode value) {
            return new Result(value, Duration.ZERO);
        }
    }

    private Result call(String method, JsonNode params) {
        return switch (KmsRequest.parse(method, params)) {
            case KmsRequest.Ping ping -> {
                ObjectNode result = Json.object();
                if (ping.sessionId() != null) {
                    result.put("sessionId", ping.sessionId());
                }
                yield Result.of(result.put("value", "pong"));
            }
            case KmsRequest.Connect connect -> {
                if (connect.resume()) {
                    mediaSet.keepAlive(connect.sessionId());
                }
                yield Result.of(Json.object().put("serverId", serverId).put("sessionId", connect.sessionId()));
            }
            case KmsRequest.Create create -> {
                MediaObjectImpl created = Factories.create(mediaSet, create.type(), create.constructorParams(), create.sessionId());
                yield Result.of(withSession(create.sessionId()).put("value", created.id()));
            }
            case KmsRequest.Invoke invoke -> {
                MediaObjectImpl object = mediaSet.touch(invoke.sessionId(), invoke.object());
                CallContext context = new CallContext(invoke.sessionId());
                JsonNode value = object.invoke(invoke.operation(), invoke.operationParams(), context);
                ObjectNode result = withSession(invoke.sessionId());
                result.set("value", value);
                yield new Result(result, context.replyDelay());
            }
            case KmsRequest.Subscribe subscribe -> {
                MediaObjectImpl object = mediaSet.touch(subscribe.sessionId(), subscribe.object());
                String subscription = mediaSet.subscribe(subscribe.sessionId(), object, subscribe.type());
                yield Result.of(withSession(subscribe.sessionId()).put("value", subscription));
            }
            case KmsRequest.Unsubscribe unsubscribe -> {
                mediaSet.unsubscribe(unsubscribe.sessionId(), unsubscribe.object(), unsubscribe.subscription());
                yield Result.of(withSession(unsubscribe.sessionId()));
            }
            case KmsRequest.Release release -> {
                mediaSet.release(release.object());
                yield Result.of(withSession(release.sessionId()));
            }
            case KmsRequest.Ref ref -> {
                mediaSet.ref(ref.sessionId(), ref.object());
                yield Result.of(withSession(ref.sessionId()));
            }
            case KmsRequest.Unref unref -> {
                mediaSet.unref(unref.sessionId(), unref.object());
                yield Result.of(withSession(unref.sessionId()));
            }
            case KmsRequest.KeepAlive keepAlive -> {
                mediaSet.keepAlive(keepAlive.sessionId());
                yield Result.of(withSession(keepAlive.sessionId()));
            }
            case KmsRequest.Describe describe -> {
                MediaObjectImpl object = mediaSet.touch(describe.sessionId(), describe.object());
                ObjectNode result = withSession(describe.sessionId()).put("type", object.type())
                        .put("qualifiedType", "kurento." + object.type());
                ArrayNode hierarchy = result.putArray("hierarchy");
                Kmd.get().ancestors(object.type()).forEach(ancestor -> hierarchy.add("kurento." + ancestor));
                yield Result.of(result);
            }
            case KmsRequest.Transaction transaction -> transaction(transaction);
            case KmsRequest.CloseSession close -> {
                if (close.release()) {
                    mediaSet.releaseSession(close.sessionId());
                } else {
                    mediaSet.unrefSession(close.sessionId());
                }
                yield Result.of(null);
            }
        };
    }

    /**
     * Runs operations in order in one session, stopping at the first failure. An operation may refer to
     * what an earlier one created as {@code newref:<index>}.
     */
    private Result transaction(KmsRequest.Transaction transaction) {
        JsonNode operations = transaction.operations();
        ArrayNode responses = Json.array();
        Duration delay = Duration.ZERO;
        for (int i = 0; i < operations.size(); i++) {
            JsonNode id = operations.get(i).get("id");
            if (!(operations.get(i) instanceof ObjectNode original) || id == null || !id.canConvertToInt() || id.asInt() != i) {
                throw KmsException.of(KmsError.MALFORMED_TRANSACTION, "Id of request '" + i + "' should be '" + i + "'");
            }
            ObjectNode operation = original.deepCopy();
            ObjectNode operationParams = operation.get("params") instanceof ObjectNode existing ? existing : operation.putObject("params");
            operationParams.put("sessionId", transaction.sessionId());
            injectRefs(operationParams, responses);
            ObjectNode reply;
            if (!isRequest(operation)) {
                reply = Replies.invalidRequest();
            } else if (!KmsRequest.knows(operation.path("method").asText())) {
                reply = methodNotFound(operation);
            } else {
                Outcome outcome = execute(operation);
                reply = outcome.reply();
                delay = delay.plus(outcome.delay());
            }
            reply.put("id", i);
            responses.add(reply);
            if (reply.has("error")) {
                break;
            }
        }
        ObjectNode result = withSession(transaction.sessionId());
        result.set("value", responses);
        return new Result(result, delay);
    }

    private static void injectRefs(JsonNode node, ArrayNode responses) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(entry -> {
                String replacement = reference(entry.getValue(), responses);
                if (replacement != null) {
                    entry.setValue(TextNode.valueOf(replacement));
                } else {
                    injectRefs(entry.getValue(), responses);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String replacement = reference(array.get(i), responses);
                if (replacement != null) {
                    array.set(i, TextNode.valueOf(replacement));
                } else {
                    injectRefs(array.get(i), responses);
                }
            }
        }
    }

    private static String reference(JsonNode value, ArrayNode responses) {
        if (!value.isTextual() || value.asText().length() <= NEW_REF.length() || !value.asText().startsWith(NEW_REF)) {
            return null;
        }
        String index = value.asText().substring(NEW_REF.length());
        int position;
        try {
            position = Integer.parseInt(index);
        } catch (NumberFormatException e) {
            throw KmsException.of(KmsError.MALFORMED_TRANSACTION, "Invalid index of newref '" + index + "'");
        }
        JsonNode result = responses.path(position).path("result").path("value");
        if (!result.isTextual()) {
            throw KmsException.of(KmsError.MALFORMED_TRANSACTION, "Result not found on request " + position);
        }
        return result.asText();
    }

    private static ObjectNode withSession(String sessionId) {
        return Json.object().put("sessionId", sessionId);
    }
}
