package dev.switchboard.emulator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.NoSuchElementException;

/**
 * The admin HTTP API under {@code /admin}: inspection ({@code GET objects, sessions, faults, info}) and
 * faults on demand ({@code POST faults/...}, {@code DELETE faults}). Bodies and answers are JSON.
 */
public final class AdminApi {

    private final Control control;

    public AdminApi(Control control) {
        this.control = control;
    }

    public void handle(HttpServerRequest request) {
        request.body()
                .onSuccess(body -> {
                    try {
                        JsonNode json = body.length() == 0 ? Json.object() : Json.parse(body.toString());
                        route(request.method(), request.path(), json, request.response());
                    } catch (JsonProcessingException e) {
                        reply(request.response(), 400, Json.object().put("error", "Body is not JSON: " + e.getOriginalMessage()));
                    } catch (IllegalArgumentException e) {
                        reply(request.response(), 400, Json.object().put("error", e.getMessage()));
                    } catch (NoSuchElementException | KmsException e) {
                        reply(request.response(), 404, Json.object().put("error", e.getMessage()));
                    }
                })
                .onFailure(error -> request.response().setStatusCode(500).end());
    }

    private void route(HttpMethod method, String path, JsonNode body, HttpServerResponse response) {
        String route = method.name() + " " + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        switch (route) {
            case "GET /admin", "GET /admin/info" -> reply(response, 200, control.info());
            case "GET /admin/objects" -> reply(response, 200, Json.valueOf(control.objects()));
            case "GET /admin/sessions" -> reply(response, 200, Json.valueOf(control.sessions()));
            case "GET /admin/faults" -> reply(response, 200, control.faults());
            case "DELETE /admin/faults" -> {
                control.clearFaults();
                done(response);
            }
            case "POST /admin/faults/drop-connections" -> reply(response, 200, Json.object().put("dropped", control.dropConnections()));
            case "POST /admin/faults/restart" -> reply(response, 200,
                    Json.object().put("serverId", control.restart(Duration.ofMillis(optionalLong(body, "downMillis")))));
            case "POST /admin/faults/delay" -> {
                control.delay(optionalText(body, "method"), Duration.ofMillis(requiredLong(body, "millis")));
                done(response);
            }
            case "POST /admin/faults/fail" -> {
                String target = optionalText(body, "method");
                if (target == null) {
                    throw new IllegalArgumentException("'method' is required: the call to fail, such as create or processOffer");
                }
                control.failNext(target, body.path("count").asInt(1), body.path("code").asInt(Faults.DEFAULT_FAILURE_CODE),
                        body.path("message").asText("Injected failure of " + target));
                done(response);
            }
            case "POST /admin/faults/unresponsive" -> {
                control.unresponsive(Duration.ofMillis(requiredLong(body, "millis")));
                done(response);
            }
            case "POST /admin/faults/unreachable-candidates" -> {
                control.unreachableCandidates(body.path("enabled").asBoolean(true));
                done(response);
            }
            case "POST /admin/faults/peer-lost" -> {
                control.peerLost(requiredText(body, "endpoint"));
                done(response);
            }
            case "POST /admin/faults/peer-stall" -> {
                control.peerStalled(requiredText(body, "endpoint"), body.path("stalled").asBoolean(true));
                done(response);
            }
            case "POST /admin/faults/error-event" -> {
                control.raiseError(requiredText(body, "object"), body.path("type").asText("UNEXPECTED_ELEMENT_ERROR"),
                        body.path("description").asText("Injected error"), body.path("errorCode").asInt(0));
                done(response);
            }
            case "POST /admin/gc" -> {
                control.collectGarbage();
                done(response);
            }
            default -> reply(response, 404, Json.object().put("error", "No admin route " + route));
        }
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }

    private static long optionalLong(JsonNode body, String field) {
        return body.has(field) ? requiredLong(body, field) : 0;
    }

    private static long requiredLong(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("'" + field + "' must be a non-negative number");
        }
        return value.asLong();
    }

    private static void done(HttpServerResponse response) {
        response.setStatusCode(204).end();
    }

    private static void reply(HttpServerResponse response, int status, JsonNode body) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(Json.write(body));
    }
}
