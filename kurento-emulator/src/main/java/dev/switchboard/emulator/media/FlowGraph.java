package dev.switchboard.emulator.media;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where media flows inside a pipeline. An element's sink side sees media ({@code MediaFlowIn}) when a
 * source connected to it produces that kind; its source side sends media into the pipeline
 * ({@code MediaFlowOut}) when it produces that kind and something is connected to it. A WebRtcEndpoint
 * produces what its peer sends; a PassThrough produces what it receives.
 */
public final class FlowGraph {

    public record Node(String id, Set<MediaType> ownMedia, boolean relay) {
    }

    public record Link(String source, String sink, MediaType type) {
    }

    public record Flows(Set<MediaType> in, Set<MediaType> out) {

        public static final Flows NONE = new Flows(Set.of(), Set.of());
    }

    private FlowGraph() {
    }

    public static Map<String, Flows> compute(Collection<Node> nodes, Collection<Link> links) {
        Map<String, Node> byId = new HashMap<>();
        Map<String, Set<MediaType>> producing = new HashMap<>();
        for (Node node : nodes) {
            byId.put(node.id(), node);
            producing.put(node.id(), copy(node.ownMedia()));
        }
        // Relays pass on what reaches them, possibly through chains and loops: iterate to a fixed point.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Link link : links) {
                Node sink = byId.get(link.sink());
                if (sink != null && sink.relay() && producing.getOrDefault(link.source(), Set.of()).contains(link.type())) {
                    changed |= producing.get(sink.id()).add(link.type());
                }
            }
        }
        Map<String, Flows> flows = new HashMap<>();
        for (Node node : nodes) {
            flows.put(node.id(), new Flows(EnumSet.noneOf(MediaType.class), EnumSet.noneOf(MediaType.class)));
        }
        for (Link link : links) {
            if (!MediaType.FLOWING_KINDS.contains(link.type())
                    || !producing.getOrDefault(link.source(), Set.of()).contains(link.type())) {
                continue;
            }
            if (flows.containsKey(link.source())) {
                flows.get(link.source()).out().add(link.type());
            }
            if (flows.containsKey(link.sink())) {
                flows.get(link.sink()).in().add(link.type());
            }
        }
        return flows;
    }

    private static Set<MediaType> copy(Set<MediaType> kinds) {
        return kinds.isEmpty() ? EnumSet.noneOf(MediaType.class) : EnumSet.copyOf(kinds);
    }
}
