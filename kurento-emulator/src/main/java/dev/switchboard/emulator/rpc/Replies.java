package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsException;

/** JSON-RPC 2.0 envelopes, as KMS writes them. */
final class Replies {

    private Replies() {
    }

    static ObjectNode success(JsonNode id, JsonNode result) {
        ObjectNode reply = Json.object();
        reply.set("id", id == null ? NullNode.getInstance() : id);
        reply.put("jsonrpc", "2.0");
        reply.set("result", result == null ? NullNode.getInstance() : result);
        return reply;
    }

    static ObjectNode error(JsonNode id, KmsException error) {
        ObjectNode reply = Json.object();
        reply.set("error", error.toErrorNode());
        reply.set("id", id == null ? NullNode.getInstance() : id);
        reply.put("jsonrpc", "2.0");
        return reply;
    }

    /** What KMS answers to anything that is not a JSON-RPC 2.0 request object, batches included. */
    static ObjectNode invalidRequest() {
        return error(null, KmsException.rpc(KmsException.INVALID_REQUEST, "Invalid JSON-RPC request."));
    }

    /** The session a successful reply speaks for; the socket that gets it becomes bound to that session. */
    static String sessionOf(ObjectNode reply) {
        return reply == null ? null : Json.text(reply.path("result"), "sessionId");
    }

    static boolean isNotification(JsonNode request) {
        JsonNode id = request.get("id");
        return id == null || id.isNull();
    }
}
