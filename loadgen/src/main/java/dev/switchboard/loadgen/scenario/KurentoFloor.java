package dev.switchboard.loadgen.scenario;

import dev.switchboard.loadgen.client.SimulatedClient;
import dev.switchboard.loadgen.metrics.Latency;
import dev.switchboard.loadgen.metrics.SetupRate;
import dev.switchboard.loadgen.report.Measurements;
import org.kurento.client.Continuation;
import org.kurento.client.IceCandidate;
import org.kurento.client.KurentoClient;
import org.kurento.client.KurentoObject;
import org.kurento.client.ListenerSubscription;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The floor under Switchboard's call setup: the Kurento work room-service does for each participant,
 * done straight with the Kurento Java Client on one client against the same Kurento (or emulator), with
 * no gateway and no Kafka, at the arrival rate and in-flight cap of the run it belongs to. Per room once:
 * a MediaPipeline tagged with the room. Per WebRtcEndpoint (the participant's own, and one per
 * subscription): create, three tags (room, participant, stream) and the four event subscriptions, then
 * the negotiation. Publish: processOffer, gatherCandidates, and addIceCandidate for the client's one
 * candidate; the subscription to a room mate (as the simulated client picks it): connect publisher →
 * subscriber, processOffer, gatherCandidates. At the end every endpoint, then every pipeline, is
 * released, as leaving and the room's end do. All of it asynchronous ({@code buildAsync},
 * {@link Continuation}s), in the plain correct order: the synchronous create holds the client's lock
 * for its whole round trip, which would make the floor slower than Kurento is.
 */
record KurentoFloor(String kmsUrl, int participants, int roomSize, double perSecond, int maxJoining) {

    static final String PROCESS_OFFER = "floor: processOffer";
    static final String PUBLISH = "floor: publish same work (create → gatherCandidates answered)";
    static final String SUBSCRIBE = "floor: subscribe same work (create → connect, processOffer, gatherCandidates answered)";
    static final String SETUPS = "floor: participants set up per second";
    private static final IceCandidate CLIENT_CANDIDATE =
            new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0);
    private static final Duration RELEASE = Duration.ofSeconds(60);

    void run(Run run) {
        Measurements m = run.measurements();
        m.parameter("floorParticipants", participants);
        KurentoClient kurento = KurentoClient.create(kmsUrl);
        Session session = new Session(kurento, m, run.fleet().offer());
        SetupRate setups = new SetupRate(System.nanoTime());
        try {
            Arrivals.run(run, run.deadline(), participants, perSecond, maxJoining, i -> {
                session.setUp(i);
                setups.completed(System.nanoTime());
                run.progress().step();
            });
            m.figure(SETUPS, setups.perSecond(), "participants/s");
            m.figure("floor: participants set up", setups.count(), "participants");
            m.figure("floor: ICE candidates found", session.candidates.sum(), "candidates");
        } finally {
            session.releaseAll();
            kurento.destroy();
        }
    }

    /** What the floor made, and the work of one participant. */
    private final class Session {

        private final KurentoClient kurento;
        private final Measurements m;
        private final String offer;
        private final Map<Integer, Room> rooms = new ConcurrentHashMap<>();
        private final LongAdder candidates = new LongAdder();
        // The client holds its objects weakly: an endpoint nobody references loses its events.
        private final Queue<WebRtcEndpoint> endpoints = new ConcurrentLinkedQueue<>();

        Session(KurentoClient kurento, Measurements m, String offer) {
            this.kurento = kurento;
            this.m = m;
            this.offer = offer;
        }

        void setUp(int participant) {
            int slot = participant % roomSize;
            Room room = rooms.computeIfAbsent(participant / roomSize, Room::new);
            String name = "floor-" + participant;
            // The first of the room makes its pipeline, as room-service does at the first join.
            MediaPipeline pipeline = slot == 0
                    ? settle(room.pipeline, () -> m.time("floor: create MediaPipeline, addTag", () -> awaitAnswer(pipeline(room.id))))
                    : awaitOther("floor: the room's MediaPipeline", room.pipeline);
            WebRtcEndpoint own = settle(room.published.get(slot), () -> m.time(PUBLISH,
                    () -> awaitAnswer(endpoint(pipeline, room.id, name, name + "-camera")
                            .thenCompose(endpoint -> negotiate(endpoint).thenApply(answer -> endpoint)))));
            m.time("floor: addIceCandidate", () -> awaitAnswer(async((Continuation<Void> c) -> own.addIceCandidate(CLIENT_CANDIDATE, c))));
            if (roomSize > 1) {
                WebRtcEndpoint publisher = awaitOther("floor: the room mate's endpoint", room.published.get(slot == 0 ? 1 : 0));
                m.time(SUBSCRIBE, () -> awaitAnswer(endpoint(pipeline, room.id, name, name + "-subscription")
                        .thenCompose(subscriber -> async((Continuation<Void> c) -> publisher.connect(subscriber, c))
                                .thenCompose(connected -> negotiate(subscriber)))));
            }
        }

        /** Waits for what another participant's work makes: its failure is this one's too. */
        private <T> T awaitOther(String what, CompletableFuture<T> other) {
            try {
                return awaitAnswer(other);
            } catch (RuntimeException e) {
                m.failures().record(what, e);
                throw e;
            }
        }

        private CompletableFuture<MediaPipeline> pipeline(String room) {
            return KurentoFloor.<MediaPipeline>async(kurento::createMediaPipeline)
                    .thenCompose(created -> async((Continuation<Void> c) -> created.addTag("room", room, c)).thenApply(tagged -> created));
        }

        /** A tagged endpoint whose events are subscribed to: before any gathering, or its candidates are lost. */
        private CompletableFuture<WebRtcEndpoint> endpoint(MediaPipeline pipeline, String room, String participant, String stream) {
            return timed(m.latency("floor: create WebRtcEndpoint"), () -> async(new WebRtcEndpoint.Builder(pipeline)::buildAsync))
                    .thenCompose(endpoint -> {
                        endpoints.add(endpoint);
                        return CompletableFuture.allOf(
                                async((Continuation<Void> c) -> endpoint.addTag("room", room, c)),
                                async((Continuation<Void> c) -> endpoint.addTag("participant", participant, c)),
                                async((Continuation<Void> c) -> endpoint.addTag("stream", stream, c)),
                                async((Continuation<ListenerSubscription> c) -> endpoint.addIceCandidateFoundListener(found -> candidates.increment(), c)),
                                async((Continuation<ListenerSubscription> c) -> endpoint.addMediaStateChangedListener(changed -> { }, c)),
                                async((Continuation<ListenerSubscription> c) -> endpoint.addMediaFlowInStateChangedListener(changed -> { }, c)),
                                async((Continuation<ListenerSubscription> c) -> endpoint.addMediaFlowOutStateChangedListener(changed -> { }, c)))
                                .thenApply(subscribed -> endpoint);
                    });
        }

        /** processOffer, then gatherCandidates once it is answered; completes with the answer. */
        private CompletableFuture<String> negotiate(WebRtcEndpoint endpoint) {
            return timed(m.latency(PROCESS_OFFER), () -> async((Continuation<String> c) -> endpoint.processOffer(offer, c)))
                    .thenCompose(answer -> async((Continuation<Void> c) -> endpoint.gatherCandidates(c)).thenApply(gathered -> answer));
        }

        void releaseAll() {
            releaseEach(List.copyOf(endpoints));
            releaseEach(rooms.values().stream().map(room -> room.pipeline).filter(p -> p.isDone() && !p.isCompletedExceptionally())
                    .map(CompletableFuture::join).toList());
        }

        private void releaseEach(List<? extends KurentoObject> objects) {
            CompletableFuture<?>[] released = objects.stream()
                    .map(object -> async((Continuation<Void> c) -> object.release(c))
                            .exceptionally(failure -> {
                                m.failures().record("floor: release", failure);
                                return null;
                            }))
                    .toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(released).get(RELEASE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                m.note("floor: not every Kurento object was released within " + RELEASE.toSeconds() + " s: " + e);
            }
        }
    }

    /** A room's pipeline and, per arrival slot, the endpoint its participant published. */
    private final class Room {

        private final String id;
        private final CompletableFuture<MediaPipeline> pipeline = new CompletableFuture<>();
        private final List<CompletableFuture<WebRtcEndpoint>> published =
                IntStream.range(0, roomSize).mapToObj(slot -> new CompletableFuture<WebRtcEndpoint>()).toList();

        Room(int number) {
            this.id = "floor-room-" + number;
        }
    }

    /** Makes a value the room mates wait for, and passes it, or its failure, on to them. */
    private static <T> T settle(CompletableFuture<T> shared, Supplier<T> make) {
        try {
            T value = make.get();
            shared.complete(value);
            return value;
        } catch (RuntimeException e) {
            shared.completeExceptionally(e);
            throw e;
        }
    }

    /** Waits as long as a simulated client waits for an answer. */
    private static <T> T awaitAnswer(CompletableFuture<T> answer) {
        return answer.orTimeout(SimulatedClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static <T> CompletableFuture<T> timed(Latency latency, Supplier<CompletableFuture<T>> call) {
        long start = System.nanoTime();
        return call.get().whenComplete((value, failure) -> {
            if (failure == null) {
                latency.recordSince(start);
            }
        });
    }

    /** One asynchronous Kurento call as a future. */
    private static <T> CompletableFuture<T> async(Consumer<Continuation<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            call.accept(new Continuation<>() {
                @Override
                public void onSuccess(T value) {
                    result.complete(value);
                }

                @Override
                public void onError(Throwable cause) {
                    result.completeExceptionally(cause);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
