package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import java.util.List;

/**
 * The names a request answers to, most specific first ({@code create:WebRtcEndpoint}, {@code create};
 * {@code invoke:processOffer}, {@code processOffer}, {@code invoke}; or the bare JSON-RPC method), for
 * the latency model, fault rules and request logs; and the object it targets, if any.
 */
record Call(List<String> names, String target) {

    static Call of(JsonNode request) {
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        String target = Json.text(params, "object");
        return switch (method) {
            case "create" -> {
                String type = Json.text(params, "type");
                yield new Call(type == null ? List.of("create") : List.of("create:" + type, "create"), null);
            }
            case "invoke" -> {
                String operation = Json.text(params, "operation");
                yield new Call(operation == null ? List.of("invoke") : List.of("invoke:" + operation, operation, "invoke"), target);
            }
            default -> new Call(List.of(method), target);
        };
    }

    String label() {
        return names.getFirst();
    }
}
