package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plays the client side of a recorded KMS session against the emulator: sends each recorded client
 * frame (with recorded ids swapped for the emulator's), and checks that each recorded server frame
 * comes back, through {@link TraceMatcher}. Replies are matched by id; events by type and object, in
 * whatever order they interleave with replies, as KMS itself does not order them.
 */
final class TraceReplay {

    private static final String MAIN_SOCKET = "main";

    /** One line of a {@code .jsonl} trace. */
    record Line(int number, boolean fromClient, long millis, String socket, JsonNode message, String raw, Integer closeCode) {

        boolean isEvent() {
            return message != null && "onEvent".equals(message.path("method").asText());
        }

        String eventType() {
            return message.path("params").path("value").path("type").asText();
        }
    }

    /** How events are checked. */
    enum Events {
        /** Each recorded event must come once, equal but for generated values. */
        EACH,
        /**
         * Each kind of recorded event (type and state) must come, in the recorded order; repeats of a kind
         * already seen are accepted without a counterpart, as a real peer's ICE and RTCP repeat themselves.
         */
        MILESTONES
    }

    private final KurentoEmulator emulator;
    private final List<Line> lines;
    private final TraceMatcher matcher = new TraceMatcher();
    private final Map<String, RawKmsClient> sockets = new LinkedHashMap<>();
    private final Map<String, String> lastCallByRequest = new HashMap<>();
    private final Map<String, TraceMatcher.Mode> replyModes = new HashMap<>();
    private final Set<String> milestonesSeen = new HashSet<>();
    private Events events = Events.EACH;
    private Consumer<Line> beforeLine = line -> { };

    private TraceReplay(KurentoEmulator emulator, List<Line> lines) {
        this.emulator = emulator;
        this.lines = lines;
    }

    static TraceReplay of(KurentoEmulator emulator, String scenario) {
        return new TraceReplay(emulator, load(scenario));
    }

    static List<Line> load(String scenario) {
        try (InputStream in = TraceReplay.class.getResourceAsStream("/kms-traces/" + scenario + ".jsonl")) {
            String[] rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].isBlank()) {
                    continue;
                }
                JsonNode row = Json.parse(rows[i]);
                boolean raw = row.path("raw").asBoolean(false);
                JsonNode close = row.get("close");
                lines.add(new Line(i + 1, ">>".equals(row.path("dir").asText()), row.path("t_ms").asLong(),
                        row.path("ws").asText(MAIN_SOCKET), raw || close != null ? null : row.get("msg"),
                        raw ? row.path("msg").asText() : null, close == null ? null : close.path("code").asInt()));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares the value of replies to this operation (or JSON-RPC method) in the given way. */
    TraceReplay comparing(String call, TraceMatcher.Mode mode) {
        replyModes.put(call, mode);
        return this;
    }

    TraceReplay events(Events mode) {
        this.events = mode;
        return this;
    }

    TraceReplay beforeEach(Consumer<Line> hook) {
        this.beforeLine = hook;
        return this;
    }

    /** A text of the recording (an object id, say) with the ids the replay has met so far swapped for the emulator's. */
    String emitted(String recorded) {
        return matcher.toEmitted(recorded);
    }

    void run() {
        try {
            for (Line line : lines) {
                beforeLine.accept(line);
                if (line.fromClient()) {
                    send(line);
                } else {
                    expect(line);
                }
            }
            for (Map.Entry<String, RawKmsClient> open : sockets.entrySet()) {
                RawKmsClient socket = open.getValue();
                await("nothing unrecorded arrives on " + open.getKey())
                        .during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2))
                        .until(() -> socket.pending().isEmpty());
            }
        } finally {
            sockets.values().forEach(RawKmsClient::close);
        }
    }

    private void send(Line line) {
        RawKmsClient socket = sockets.computeIfAbsent(line.socket(), label -> RawKmsClient.connect(emulator.url()));
        if (line.closeCode() != null) {
            assertThat(socket.pending()).as("unanswered messages on %s before line %d", line.socket(), line.number()).isEmpty();
            socket.close();
            sockets.remove(line.socket());
        } else if (line.raw() != null) {
            socket.sendRaw(line.raw());
        } else {
            JsonNode id = line.message().get("id");
            if (id != null) {
                lastCallByRequest.put(line.socket() + " " + id, callName(line.message()));
            }
            socket.sendRaw(matcher.toEmitted(Json.write(line.message())));
        }
    }

    private void expect(Line line) {
        RawKmsClient socket = sockets.get(line.socket());
        assertThat(socket).as("socket %s of line %d", line.socket(), line.number()).isNotNull();
        if (line.closeCode() != null) {
            assertThat(socket.awaitClose()).as("how %s closed (line %d)", line.socket(), line.number()).isEqualTo(line.closeCode());
            sockets.remove(line.socket());
            return;
        }
        if (line.isEvent()) {
            expectEvent(socket, line);
            return;
        }
        JsonNode id = line.message().get("id");
        JsonNode actual = socket.reply(id);
        TraceMatcher.Mode mode = replyModes.getOrDefault(lastCallByRequest.get(line.socket() + " " + id), TraceMatcher.Mode.EXACT);
        String difference = matcher.mismatch(line.message(), actual, mode);
        assertThat(difference).as("reply of line %d", line.number()).isNull();
    }

    private void expectEvent(RawKmsClient socket, Line line) {
        if (events == Events.MILESTONES) {
            String wanted = milestone(line.message());
            if (milestonesSeen.add(wanted)) {
                socket.take(candidate -> isEvent(candidate) && milestone(candidate).equals(wanted), Duration.ofSeconds(5));
            }
            return;
        }
        List<String> misses = new ArrayList<>();
        try {
            socket.take(candidate -> {
                if (!isEvent(candidate)) {
                    return false;
                }
                String difference = matcher.mismatch(line.message(), candidate, TraceMatcher.Mode.EXACT);
                if (difference != null) {
                    misses.add(difference);
                }
                return difference == null;
            }, Duration.ofSeconds(5));
        } catch (AssertionError notFound) {
            throw new AssertionError("Event of line " + line.number() + " never came: " + line.message()
                    + "\nclosest differences: " + misses.stream().distinct().limit(5).toList(), notFound);
        }
    }

    private static boolean isEvent(JsonNode message) {
        return "onEvent".equals(message.path("method").asText());
    }

    /** What kind of event this is, for MILESTONES: its type and whichever state and media it reports. */
    private static String milestone(JsonNode event) {
        JsonNode value = event.path("params").path("value");
        JsonNode data = value.path("data");
        return value.path("type").asText() + " " + data.path("state").asText() + data.path("newState").asText()
                + " " + data.path("mediaType").asText() + " " + data.path("componentId").asText()
                + " " + TraceMatcher.normalize(data.path("candidate").toString());
    }

    private static String callName(JsonNode request) {
        String method = request.path("method").asText();
        return method.equals("invoke") ? request.path("params").path("operation").asText() : method;
    }
}
