package dev.switchboard.emulator.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults in force. A rule names the calls it applies to the way the latency model does (a
 * JSON-RPC method such as {@code create}, an operation such as {@code processOffer}, or a qualified
 * name such as {@code create:WebRtcEndpoint}); a rule without a method applies to every call.
 */
public final class Faults {

    /** KMS's code for an error it has no better name for. */
    public static final int DEFAULT_FAILURE_CODE = KmsError.UNEXPECTED_ERROR.code();

    private record Delay(String method, Duration delay) {
    }

    private static final class Failure {
        private final String method;
        private final int code;
        private final String message;
        private int remaining;

        private Failure(String method, int count, int code, String message) {
            this.method = method;
            this.remaining = count;
            this.code = code;
            this.message = message;
        }
    }

    private final List<Delay> delays = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private long unresponsiveUntil;
    private boolean peersUnreachable;

    public void addDelay(String method, Duration delay) {
        delays.add(new Delay(method, delay));
    }

    public void failNext(String method, int count, int code, String message) {
        failures.add(new Failure(method, count, code, message));
    }

    public void unresponsiveUntil(long epochMillis) {
        unresponsiveUntil = Math.max(unresponsiveUntil, epochMillis);
    }

    public void peersUnreachable(boolean unreachable) {
        peersUnreachable = unreachable;
    }

    public void clear() {
        delays.clear();
        failures.clear();
        unresponsiveUntil = 0;
        peersUnreachable = false;
    }

    /** The extra time calls with these names must wait. */
    public Duration delayFor(List<String> callNames) {
        return delays.stream()
                .filter(rule -> rule.method() == null || callNames.contains(rule.method()))
                .map(Delay::delay)
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** The error this call must fail with, if a rule still has failures to hand out; each use counts. */
    public KmsException takeFailure(List<String> callNames) {
        for (Failure rule : failures) {
            if (rule.remaining > 0 && (rule.method == null || callNames.contains(rule.method))) {
                rule.remaining--;
                return KmsException.of(rule.code, rule.message);
            }
        }
        return null;
    }

    public boolean unresponsive(long now) {
        return now < unresponsiveUntil;
    }

    public long unresponsiveUntil() {
        return unresponsiveUntil;
    }

    public boolean peersUnreachable() {
        return peersUnreachable;
    }

    public ObjectNode describe(long now) {
        ObjectNode state = Json.object();
        ArrayNode delayList = state.putArray("delays");
        delays.forEach(rule -> delayList.add(Json.object().put("method", rule.method()).put("millis", rule.delay().toMillis())));
        ArrayNode failureList = state.putArray("failures");
        failures.stream().filter(rule -> rule.remaining > 0).forEach(rule -> failureList.add(Json.object()
                .put("method", rule.method).put("remaining", rule.remaining).put("code", rule.code).put("message", rule.message)));
        state.put("unresponsiveForMillis", Math.max(0, unresponsiveUntil - now));
        state.put("unreachableCandidates", peersUnreachable);
        return state;
    }
}
