package dev.switchboard.emulator.objects;

import java.util.List;

/** A GStreamer dot graph of the shape KMS returns; the emulator has no GStreamer elements to draw. */
final class Dot {

    private Dot() {
    }

    static String graph(String name, List<String> nodes) {
        StringBuilder dot = new StringBuilder()
                .append("digraph pipeline {\n")
                .append("  rankdir=LR;\n")
                .append("  fontname=\"sans\";\n")
                .append("  fontsize=\"10\";\n")
                .append("  labelloc=t;\n")
                .append("  nodesep=.1;\n")
                .append("  ranksep=.2;\n")
                .append("  label=\"<GstPipeline>\\n").append(name).append("\\n[>]\";\n")
                .append("  node [style=\"filled,rounded\", shape=box, fontsize=\"9\", fontname=\"sans\", margin=\"0.0,0.0\"];\n")
                .append("  edge [labelfontsize=\"6\", fontsize=\"9\", fontname=\"monospace\"];\n")
                .append("  \n")
                .append("  legend [\n")
                .append("    pos=\"0,0!\",\n")
                .append("    margin=\"0.05,0.05\",\n")
                .append("    style=\"filled\",\n")
                .append("    label=\"Legend\\lElement-States: [~] void-pending, [0] null, [-] ready, [=] paused, [>] playing\\l")
                .append("Pad-Activation: [-] none, [>] push, [<] pull\\l")
                .append("Pad-Flags: [b]locked, [f]lushing, [b]locking, [E]OS; upper-case is set\\l")
                .append("Pad-Task: [T] has started task, [t] has paused task\\l\",\n")
                .append("  ];\n");
        nodes.forEach(node -> dot.append("  ").append(node).append(";\n"));
        return dot.append("}\n").toString();
    }
}
