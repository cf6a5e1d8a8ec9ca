package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.report.Measurements;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor under Switchboard's publish: what any Kurento application must pay for it, measured with
 * the real Kurento Java Client straight against the same Kurento (or emulator), with no gateway and no
 * Kafka. Same participants, rooms, arrival rate and cap as the scenario it belongs to; per room one
 * pipeline, made before its first publish (as room-service makes it at join); per participant a
 * WebRtcEndpoint, processOffer with the Chromium offer and gatherCandidates.
 */
record KurentoFloor(String kmsUrl, int participants, int roomSize, double perSecond, int maxJoining) {

    static final String PUBLISH = "floor: create endpoint + processOffer + gatherCandidates";

    void run(Run run) {
        Measurements m = run.measurements();
        KurentoClient kurento = KurentoClient.create(kmsUrl);
        Map<Integer, CompletableFuture<MediaPipeline>> pipelines = new ConcurrentHashMap<>();
        LongAdder candidates = new LongAdder();
        // The client holds its objects weakly: an endpoint nobody references loses its events.
        Queue<WebRtcEndpoint> endpoints = new ConcurrentLinkedQueue<>();
        try {
            Arrivals.run(run, run.deadline(), participants, perSecond, maxJoining, i -> {
                CompletableFuture<MediaPipeline> mine = new CompletableFuture<>();
                CompletableFuture<MediaPipeline> room = pipelines.putIfAbsent(i / roomSize, mine);
                if (room == null) {
                    room = mine;
                    mine.complete(kurento.createMediaPipeline());
                }
                MediaPipeline pipeline = room.join();
                m.time(PUBLISH, () -> {
                    WebRtcEndpoint endpoint = m.time("floor: create WebRtcEndpoint", () -> new WebRtcEndpoint.Builder(pipeline).build());
                    endpoint.addIceCandidateFoundListener(found -> candidates.increment());
                    m.time("floor: processOffer", () -> endpoint.processOffer(run.fleet().offer()));
                    endpoint.gatherCandidates();
                    endpoints.add(endpoint);
                    return endpoint;
                });
                run.progress().step();
            });
            m.figure("floor: ICE candidates found", candidates.sum(), "candidates");
        } finally {
            pipelines.values().forEach(pipeline -> pipeline.thenAccept(MediaPipeline::release));
            kurento.destroy();
        }
    }
}
