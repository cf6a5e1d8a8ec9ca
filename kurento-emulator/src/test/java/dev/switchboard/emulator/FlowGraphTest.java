package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulator.media.FlowGraph;
import dev.switchboard.emulator.media.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowGraphTest {

    @Test
    void mediaGoesThroughChainsOfRelays() {
        Map<String, FlowGraph.Flows> flows = FlowGraph.compute(
                List.of(node("camera", MediaType.AUDIO, MediaType.VIDEO), relay("a"), relay("b"), node("viewer")),
                List.of(link("camera", "a", MediaType.VIDEO), link("a", "b", MediaType.VIDEO), link("b", "viewer", MediaType.VIDEO),
                        link("camera", "viewer", MediaType.AUDIO)));

        assertThat(flows.get("camera").out()).containsExactlyInAnyOrder(MediaType.AUDIO, MediaType.VIDEO);
        assertThat(flows.get("b").in()).containsExactly(MediaType.VIDEO);
        assertThat(flows.get("viewer").in()).containsExactlyInAnyOrder(MediaType.AUDIO, MediaType.VIDEO);
        assertThat(flows.get("viewer").out()).isEmpty();
    }

    @Test
    void loopsWithoutASourceCarryNothing() {
        Map<String, FlowGraph.Flows> flows = FlowGraph.compute(List.of(relay("a"), relay("b"), node("self")),
                List.of(link("a", "b", MediaType.AUDIO), link("b", "a", MediaType.AUDIO), link("self", "self", MediaType.VIDEO)));

        assertThat(flows.values()).allSatisfy(flow -> {
            assertThat(flow.in()).isEmpty();
            assertThat(flow.out()).isEmpty();
        });
    }

    @Test
    void aLoopbackEndpointReceivesWhatItSends() {
        Map<String, FlowGraph.Flows> flows = FlowGraph.compute(List.of(node("echo", MediaType.VIDEO)),
                List.of(link("echo", "echo", MediaType.VIDEO), link("echo", "echo", MediaType.DATA)));

        assertThat(flows.get("echo").in()).containsExactly(MediaType.VIDEO);
        assertThat(flows.get("echo").out()).containsExactly(MediaType.VIDEO);
    }

    private static FlowGraph.Node node(String id, MediaType... own) {
        return new FlowGraph.Node(id, Set.of(own), false);
    }

    private static FlowGraph.Node relay(String id) {
        return new FlowGraph.Node(id, Set.of(), true);
    }

    private static FlowGraph.Link link(String source, String sink, MediaType type) {
        return new FlowGraph.Link(source, sink, type);
    }
}
