package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.media.MediaType;
import dev.switchboard.emulator.protocol.Json;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An element of a pipeline: it connects to other elements by media type (one source per sink pad,
 * any number of sinks per source), and reports the media that reaches it and leaves it.
 */
public abstract sealed class MediaElementImpl extends MediaObjectImpl permits WebRtcEndpointImpl, PassThroughImpl {

    private static final String DEFAULT_PAD = "default";
    private static final List<MediaType> ALL_TYPES = List.of(MediaType.AUDIO, MediaType.VIDEO, MediaType.DATA);
    /** GStreamer numbers its elements per process; the numbers show up in bin names. */
    private static final AtomicInteger GST_INSTANCES = new AtomicInteger();

    /** One link from a source element's pad to a sink element's pad. */
    public record Connection(MediaElementImpl source, MediaElementImpl sink, MediaType type, String sourceDescription,
            String sinkDescription) {

        ObjectNode toJson() {
            return Json.complex("ElementConnectionData").put("sink", sink.id()).put("sinkDescription", sinkDescription)
                    .put("source", source.id()).put("sourceDescription", sourceDescription).put("type", type.name());
        }
    }

    private record SinkPad(MediaType type, String description) {
    }

    private static final Comparator<Connection> LISTING_ORDER = Comparator
            .comparing((Connection connection) -> connection.type().ordinal())
            .thenComparing(Connection::sourceDescription);

    private final List<Connection> sinks = new ArrayList<>();
    private final Map<SinkPad, Connection> sources = new HashMap<>();
    private final Set<MediaType> flowingIn = EnumSet.noneOf(MediaType.class);
    private final Set<MediaType> flowingOut = EnumSet.noneOf(MediaType.class);
    private final Set<MediaType> transcodingReported = EnumSet.noneOf(MediaType.class);
    private final String gstName;
    private int agnosticBins = 1;

    protected MediaElementImpl(MediaSet mediaSet, String id, String type, MediaPipelineImpl pipeline) {
        super(mediaSet, id, type, pipeline);
        this.gstName = "kms" + type.toLowerCase(Locale.ROOT) + GST_INSTANCES.incrementAndGet();
        setDefault("encoderBitrate", IntNode.valueOf(300_000));
        setDefault("minEncoderBitrate", IntNode.valueOf(0));
        setDefault("maxEncoderBitrate", IntNode.valueOf(0));
    }

    /** The media this element originates (for an endpoint, what its peer sends). */
    abstract Set<MediaType> ownMedia();

    /** Whether whatever reaches this element leaves it again, as through a PassThrough. */
    abstract boolean relaysMedia();

    List<Connection> sinkLinks() {
        return List.copyOf(sinks);
    }

    /** The elements this one is connected to as a source, each once, in the order they were connected. */
    public List<String> sinkIds() {
        return sinks.stream().map(connection -> connection.sink().id()).distinct().toList();
    }

    @Override
    protected JsonNode handle(String operation, Args args, CallContext context) {
        return switch (operation) {
            case "connect" -> {
                connect(args.object("sink", MediaElementImpl.class), args.mediaType("mediaType"),
                        args.string("sourceMediaDescription", DEFAULT_PAD), args.string("sinkMediaDescription", DEFAULT_PAD));
                yield NullNode.getInstance();
            }
            case "disconnect" -> {
                disconnect(args.object("sink", MediaElementImpl.class), args.mediaType("mediaType"),
                        args.string("sourceMediaDescription", DEFAULT_PAD), args.string("sinkMediaDescription", DEFAULT_PAD));
                yield NullNode.getInstance();
            }
            case "getSinkConnections" -> listing(sinks.stream()
                    .filter(connection -> matches(connection, args.mediaType("mediaType"), args.string("description"), true)).toList());
            case "getSourceConnections" -> listing(sources.values().stream()
                    .filter(connection -> matches(connection, args.mediaType("mediaType"), args.string("description"), false)).toList());
            case "isMediaFlowingIn" -> BooleanNode.valueOf(flowing(flowingIn, args.mediaType("mediaType"),
                    args.string("sinkMediaDescription", DEFAULT_PAD), "MediaFlowingIn"));
            case "isMediaFlowingOut" -> BooleanNode.valueOf(flowing(flowingOut, args.mediaType("mediaType"),
                    args.string("sourceMediaDescription", DEFAULT_PAD), "MediaFlowingOut"));
            case "isMediaTranscoding" -> BooleanNode.valueOf(flowing(Set.of(), args.mediaType("mediaType"),
                    args.string("binName", DEFAULT_PAD), "MediaTranscoding"));
            case "getGstreamerDot" -> TextNode.valueOf(Dot.graph(gstName, List.of()));
            case "getStats" -> Json.object();
            default -> super.handle(operation, args, context);
        };
    }

    void connect(MediaElementImpl sink, MediaType type, String sourceDescription, String sinkDescription) {
        if (sink.pipeline() != pipeline()) {
            throw KmsException.of(KmsError.CONNECT_ERROR, "Media elements do not share pipeline");
        }
        for (MediaType each : type == null ? ALL_TYPES : List.of(type)) {
            // A sink pad takes one source: connecting another replaces the first.
            Connection previous = sink.sources.get(new SinkPad(each, sinkDescription));
            if (previous != null) {
                previous.source().disconnectOne(sink, each, sourceDescription, previous.sinkDescription());
            }
            Connection connection = new Connection(this, sink, each, sourceDescription, sinkDescription);
            sinks.add(connection);
            sink.sources.put(new SinkPad(each, sinkDescription), connection);
            emit("ElementConnected", connectionEvent(connection));
        }
        pipeline().refreshFlows();
    }

    void disconnect(MediaElementImpl sink, MediaType type, String sourceDescription, String sinkDescription) {
        for (MediaType each : type == null ? ALL_TYPES : List.of(type)) {
            disconnectOne(sink, each, sourceDescription, sinkDescription);
        }
        MediaPipelineImpl pipeline = pipeline();
        pipeline.refreshFlows();
        if (sink.pipeline() != pipeline) {
            sink.pipeline().refreshFlows();
        }
    }

    /** Like KMS, reports the disconnection even when there was nothing to disconnect. */
    private void disconnectOne(MediaElementImpl sink, MediaType type, String sourceDescription, String sinkDescription) {
        SinkPad pad = new SinkPad(type, sinkDescription);
        Connection current = sink.sources.get(pad);
        if (current != null && current.source() == this && current.sourceDescription().equals(sourceDescription)) {
            sink.sources.remove(pad);
        }
        sinks.removeIf(connection -> connection.sink() == sink && connection.type() == type
                && connection.sinkDescription().equals(sinkDescription) && connection.sourceDescription().equals(sourceDescription));
        emit("ElementDisconnected", connectionEvent(new Connection(this, sink, type, sourceDescription, sinkDescription)));
    }

    @Override
    protected void onReleased() {
        for (Connection connection : List.copyOf(sinks)) {
            disconnectOne(connection.sink(), connection.type(), connection.sourceDescription(), connection.sinkDescription());
        }
        for (Connection connection : List.copyOf(sources.values())) {
            connection.source().disconnectOne(this, connection.type(), connection.sourceDescription(), connection.sinkDescription());
        }
        pipeline().refreshFlows();
    }

    void updateFlowOut(MediaType type, boolean flowing) {
        if (flowing == flowingOut.contains(type)) {
            return;
        }
        if (flowing) {
            flowingOut.add(type);
        } else {
            flowingOut.remove(type);
        }
        emit("MediaFlowOutStateChanged", flowEvent(type, flowing));
        if (flowing && transcodingReported.add(type)) {
            // Matching codecs on both sides: agnosticbin forwards without transcoding, and says so.
            agnosticBins++;
            emit("MediaTranscodingStateChanged", Json.object().put("binName", gstName + "_kmsagnosticbin2-" + agnosticBins)
                    .put("mediaType", type.name()).put("state", "NOT_TRANSCODING"));
        }
    }

    void updateFlowIn(MediaType type, boolean flowing) {
        if (flowing == flowingIn.contains(type)) {
            return;
        }
        if (flowing) {
            flowingIn.add(type);
        } else {
            flowingIn.remove(type);
        }
        emit("MediaFlowInStateChanged", flowEvent(type, flowing));
    }

    private static boolean flowing(Set<MediaType> states, MediaType type, String description, String what) {
        if (type == MediaType.DATA) {
            throw KmsException.of(KmsError.MEDIA_OBJECT_ILLEGAL_PARAM_ERROR, "Media type DATA is not supported for " + what);
        }
        return DEFAULT_PAD.equals(description) && states.contains(type);
    }

    private static boolean matches(Connection connection, MediaType type, String description, boolean bySourcePad) {
        String pad = bySourcePad ? connection.sourceDescription() : connection.sinkDescription();
        return (type == null || connection.type() == type) && (description == null || description.equals(pad));
    }

    private static ArrayNode listing(List<Connection> connections) {
        ArrayNode list = Json.array();
        connections.stream().sorted(LISTING_ORDER).forEach(connection -> list.add(connection.toJson()));
        return list;
    }

    private static ObjectNode connectionEvent(Connection connection) {
        return Json.object().put("mediaType", connection.type().name()).put("sink", connection.sink().id())
                .put("sinkMediaDescription", connection.sinkDescription())
                .put("sourceMediaDescription", connection.sourceDescription());
    }

    private static ObjectNode flowEvent(MediaType type, boolean flowing) {
        return Json.object().put("mediaType", type.name()).put("padName", DEFAULT_PAD).put("state", flowing ? "FLOWING" : "NOT_FLOWING");
    }
}
