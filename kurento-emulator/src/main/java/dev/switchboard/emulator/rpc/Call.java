package dev.switchboard.emulator.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.LatencyModel;
import dev.switchboard.emulator.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The names a request answers to, most specific first ({@code create:WebRtcEndpoint}, {@code create};
 * {@code invoke:processOffer}, {@code processOffer}, {@code invoke}; or the bare JSON-RPC method), for
 * the latency model, fault rules and request logs; the object it targets, if any; and what the server
 * works through to answer it: the request itself, or a transaction's operations.
 */
record Call(List<String> names, String target, List<Call> operations) {

    static Call of(JsonNode request) {
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        String target = Json.text(params, "object");
        return switch (method) {
            case "create" -> {
                String type = Json.text(params, "type");
                yield single(type == null ? List.of("create") : List.of("create:" + type, "create"), null);
            }
            case "invoke" -> {
                String operation = Json.text(params, "operation");
                yield single(operation == null ? List.of("invoke") : List.of("invoke:" + operation, operation, "invoke"), target);
            }
            case "transaction" -> {
                List<Call> operations = new ArrayList<>();
                params.path("operations").forEach(operation -> operations.add(of(operation)));
                yield new Call(List.of(method), target, List.copyOf(operations));
            }
            default -> single(List.of(method), target);
        };
    }

    private static Call single(List<String> names, String target) {
        return new Call(names, target, List.of());
    }

    /** What the server spends on it: a transaction's operations one after another on one worker, else its own draw. */
    LatencyModel.Sample cost(LatencyModel model, RandomGenerator random) {
        return work().stream().map(part -> model.sample(part.names(), random)).reduce(LatencyModel.Sample.NONE, LatencyModel.Sample::plus);
    }

    /** Whether it creates an object of this type, itself or as an operation. */
    boolean creates(String type) {
        return work().stream().anyMatch(part -> part.names().contains("create:" + type));
    }

    private List<Call> work() {
        return operations.isEmpty() ? List.of(this) : operations;
    }

    String label() {
        return names.getFirst();
    }
}
