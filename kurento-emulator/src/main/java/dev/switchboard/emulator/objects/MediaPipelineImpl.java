package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.emulator.media.FlowGraph;
import dev.switchboard.emulator.media.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A MediaPipeline: the parent of elements, and the place where media flow between them is worked out. */
public final class MediaPipelineImpl extends MediaObjectImpl {

    /** GStreamer numbers its pipelines per process; the number shows in the dot graph's label. */
    private static final AtomicInteger GST_PIPELINES = new AtomicInteger();

    private final String gstName = "pipeline" + GST_PIPELINES.incrementAndGet();

    MediaPipelineImpl(MediaSet mediaSet, String id) {
        super(mediaSet, id, "MediaPipeline", null);
        setDefault("latencyStats", BooleanNode.FALSE);
    }

    @Override
    public MediaPipelineImpl pipeline() {
        return this;
    }

    @Override
    protected JsonNode handle(String operation, Args args, CallContext context) {
        if (operation.equals("getGstreamerDot")) {
            return TextNode.valueOf(Dot.graph(gstName, List.of()));
        }
        return super.handle(operation, args, context);
    }

    public List<MediaElementImpl> elements() {
        List<MediaElementImpl> elements = new ArrayList<>();
        for (MediaObjectImpl child : mediaSet.children(this)) {
            if (child instanceof MediaElementImpl element && !element.isReleased()) {
                elements.add(element);
            }
        }
        return elements;
    }

    /**
     * Recomputes which media flows where after anything that can change it (connections, a peer's
     * media starting or stopping, an element going away) and raises the flow events that result:
     * per kind of media, the sources' side first, then the sinks'.
     */
    void refreshFlows() {
        if (isReleased()) {
            return;
        }
        List<MediaElementImpl> elements = elements();
        List<FlowGraph.Node> nodes = new ArrayList<>();
        List<FlowGraph.Link> links = new ArrayList<>();
        for (MediaElementImpl element : elements) {
            nodes.add(new FlowGraph.Node(element.id(), element.ownMedia(), element.relaysMedia()));
            element.sinkLinks().forEach(connection -> links.add(
                    new FlowGraph.Link(element.id(), connection.sink().id(), connection.type())));
        }
        Map<String, FlowGraph.Flows> flows = FlowGraph.compute(nodes, links);
        for (MediaType type : MediaType.FLOWING_KINDS) {
            for (MediaElementImpl element : elements) {
                element.updateFlowOut(type, flows.getOrDefault(element.id(), FlowGraph.Flows.NONE).out().contains(type));
            }
            for (MediaElementImpl element : elements) {
                element.updateFlowIn(type, flows.getOrDefault(element.id(), FlowGraph.Flows.NONE).in().contains(type));
            }
        }
    }
}
