package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code manager_ServerManager}: what the server is, which pipelines and sessions it has, and its load. */
public final class ServerManagerImpl extends MediaObjectImpl {

    /**
     * The KMS release whose protocol is emulated, with a suffix in KMS's own version format that says
     * what actually answers, for anyone reading getInfo.
     */
    public static final String VERSION = "7.3.1~kurento-emulator";
    private static final String SERVER_ERROR_KMD_NOT_FOUND = "Module not found";
    /** Only what the emulator can create is announced, so clients probing for factories see the truth. */
    private static final Map<String, List<String>> MODULES = Map.of(
            "core", List.of("MediaPipeline", "PassThrough"),
            "elements", List.of("WebRtcEndpoint"));

    ServerManagerImpl(MediaSet mediaSet) {
        super(mediaSet, MediaSet.SERVER_MANAGER_ID, "ServerManager", null);
        setDefault("metadata", TextNode.valueOf(""));
    }

    @Override
    protected JsonNode handle(String operation, Args args, CallContext context) {
        return switch (operation) {
            case "getInfo" -> info();
            case "getPipelines" -> {
                ArrayNode ids = Json.array();
                mediaSet.pipelines(context.sessionId()).forEach(pipeline -> ids.add(pipeline.id()));
                yield ids;
            }
            case "getSessions" -> {
                ArrayNode sessions = Json.array();
                mediaSet.sessionListing().forEach(sessions::add);
                yield sessions;
            }
            case "getUsedMemory" -> {
                Runtime runtime = Runtime.getRuntime();
                yield LongNode.valueOf((runtime.totalMemory() - runtime.freeMemory()) / 1024);
            }
            case "getUsedCpu" -> {
                // KMS samples the CPU over the interval before it answers.
                context.delayReply(Duration.ofMillis(Math.max(0, args.integer("interval", 0))));
                yield IntNode.valueOf(0);
            }
            case "getCpuCount" -> IntNode.valueOf(Runtime.getRuntime().availableProcessors());
            case "getKmd" -> kmd(args.string("moduleName"));
            default -> super.handle(operation, args, context);
        };
    }

    JsonNode info() {
        String generationTime = DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss", Locale.ROOT)
                .format(Instant.ofEpochSecond(mediaSet.environment().creationTimeSeconds()).atZone(ZoneOffset.UTC));
        ArrayNode modules = Json.array();
        MODULES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(module -> {
            ObjectNode info = Json.complex("ModuleInfo").put("generationTime", generationTime)
                    .put("name", module.getKey()).put("version", VERSION);
            ArrayNode factories = info.putArray("factories");
            module.getValue().forEach(factories::add);
            modules.add(info);
        });
        ObjectNode info = Json.complex("ServerInfo").put("type", "KMS").put("version", VERSION);
        info.putArray("capabilities").add("transactions");
        info.set("modules", modules);
        return info;
    }

    private static JsonNode kmd(String module) {
        try (InputStream in = ServerManagerImpl.class.getClassLoader().getResourceAsStream("META-INF/kurento/" + module + ".kmd.json")) {
            if (in == null || !MODULES.containsKey(module)) {
                throw KmsException.of(40500, SERVER_ERROR_KMD_NOT_FOUND);
            }
            return TextNode.valueOf(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
