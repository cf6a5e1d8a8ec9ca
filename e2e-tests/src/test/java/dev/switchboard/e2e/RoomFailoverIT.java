package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.emulator.EmulatedObject;
import dev.switchboard.emulator.EmulatedSession;
import dev.switchboard.emulator.EmulatorSettings;
import dev.switchboard.emulator.KurentoEmulator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two room-service instances share the rooms; one of them goes away, gracefully or by kill -9, in the
 * middle of calls. The other serves every room from its backup: commands sent meanwhile are answered,
 * nobody is dropped or asked to renegotiate, and it has taken the calls' Kurento objects over: they outlive
 * the old owner's session when the media server's collector passes over it, their events reach the
 * participants, and newcomers subscribe to the streams published before. Meanwhile the survivor's own
 * rooms keep answering commands that go to Kurento.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomFailoverIT {

    private static final int CALLS = 12;
    private static final String SECOND = "room-service-2";
    /** room-service's consumer group (switchboard.kafka.group-id). */
    private static final String GROUP = "room-service";
    /**
     * The media server's garbage-collector period: longer than a takeover after kill -9 (the 6 s consumer
     * session timeout, then the restore), so that nothing the new owner takes over is collected first, and
     * short enough for the collector to pass over the old owner's session twice within the test.
     */
    private static final Duration GC_PERIOD = Duration.ofSeconds(15);
    /** Between two resubscriptions in a room: 20 requests a second, well under the gateway's rate limit. */
    private static final Duration PACE = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectNode figures = Json.mapper().createObjectNode();
    private SwitchboardStack stack;
    private KurentoEmulator emulator;

    @BeforeAll
    void startTwoRoomServices() {
        Path repository = Path.of(System.getProperty("switchboard.repository", "..")).toAbsolutePath().normalize();
        stack = SwitchboardStack.start(SwitchboardStack.Options.forTests(repository,
                        repository.resolve("e2e-tests/target/failover-stack"))
                .withEmulatorSettings(EmulatorSettings.defaults().withGcPeriod(GC_PERIOD)));
        stack.startInstance(SwitchboardStack.ROOM_SERVICE, SECOND);
        emulator = stack.emulator().orElseThrow();
    }

    @AfterAll
    void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
        Path out = Path.of("target", "bench", "failover.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures.toPrettyString());
        System.out.println("failover figures: " + figures);
    }

    @Test
    @Order(1)
    void killedInstancesRoomsAreServedByTheOther() {
        // How long it took is a figure for the benchmark (bench/failover), not a bound of the test.
        Duration answeredWithin = loseAnInstanceDuringCalls(ServiceProcess::kill);

        figures.put("killMinus9AllRoomsAnsweredMillis", answeredWithin.toMillis());
    }

    @Test
    @Order(3)
    void gracefullyStoppedInstanceHandsItsRoomsOver() {
        Duration answeredWithin = loseAnInstanceDuringCalls(ServiceProcess::stop);

        figures.put("gracefulStopAllRoomsAnsweredMillis", answeredWithin.toMillis());
    }

    @Test
    @Order(2)
    void killedOnlyInstanceComesBackWithEveryRoomFromItsBackup() {
        stack.service(SECOND).stop();
        try {
            Duration answeredWithin = loseAnInstanceDuringCalls(roomService -> {
                roomService.kill();
                CompletableFuture.runAsync(() -> stack.restartService(SwitchboardStack.ROOM_SERVICE));
            });

            figures.put("killMinus9AndRestartOnlyInstanceAllRoomsAnsweredMillis", answeredWithin.toMillis());
        } finally {
            stack.restartService(SECOND);
        }
    }

    /**
     * Last: the rooms of a test stay, empty, until their empty timeout, and every takeover restores them; up to
     * three dozen here would lengthen the takeovers the tests above measure.
     */
    @Test
    @Order(4)
    void survivorsOwnRoomsKeepAnsweringWhileItTakesTheKilledInstancesOver() {
        List<Call> calls = calls();
        try {
            // Rooms fall on the instances by the hash of their ids: a few more calls until each instance has some.
            while (byOwner(calls).size() < 2 && calls.size() < 3 * CALLS) {
                calls.add(new Call(http, stack.signalingUrl(), stack.jwtSecret()));
            }
            Map<String, List<Call>> byOwner = byOwner(calls);
            assertThat(byOwner).as("rooms of each instance").hasSize(2);

            stack.service(SwitchboardStack.ROOM_SERVICE).kill();
            String killed = await().until(() -> gone(byOwner.keySet()), Optional::isPresent).orElseThrow();
            List<Call> own = byOwner.entrySet().stream().filter(e -> !e.getKey().equals(killed))
                    .flatMap(e -> e.getValue().stream()).toList();
            List<Long> nanos = new CopyOnWriteArrayList<>();
            List<String> wrong = new CopyOnWriteArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
                 ScheduledExecutorService load = Executors.newScheduledThreadPool(own.size(), Thread.ofVirtual().factory())) {
                CompletableFuture<?>[] takenOver = byOwner.get(killed).stream()
                        .map(call -> CompletableFuture.runAsync(() -> call.toggleAudio(false), clients))
                        .toArray(CompletableFuture[]::new);
                for (Call call : own) {
                    load.scheduleWithFixedDelay(() -> {
                        answered(call::bobUnsubscribes, result -> result.isObject() && result.isEmpty(), nanos, wrong);
                        answered(call::bobSubscribes, result -> result.path("sdpAnswer").asText().startsWith("v=0"),
                                nanos, wrong);
                    }, 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
                }
                // The load stops with the takeover; closing lets a resubscription under way finish first.
                CompletableFuture.allOf(takenOver).join();
            }

            assertThat(wrong).as("answers of the survivor's own rooms during the takeover").isEmpty();
            assertThat(nanos).isNotEmpty();
            List<Long> sorted = nanos.stream().sorted().toList();
            // How long they took is a figure for the benchmark, not a bound of the test.
            figures.put("survivorOwnRoomsDuringTakeoverCommands", sorted.size());
            figures.put("survivorOwnRoomsDuringTakeoverP50Millis", millis(sorted, 0.50));
            figures.put("survivorOwnRoomsDuringTakeoverP99Millis", millis(sorted, 0.99));
            figures.put("survivorOwnRoomsDuringTakeoverMaxMillis", millis(sorted, 1.0));
        } finally {
            calls.forEach(Call::close);
            stack.restartService(SwitchboardStack.ROOM_SERVICE);
        }
    }

    /**
     * Sets calls up, takes the first room-service away the given way while every room gets a command,
     * checks nothing was lost and that the new owner has taken the calls' Kurento objects over, and returns
     * how long until every room had answered. The instance is started again afterwards.
     */
    private Duration loseAnInstanceDuringCalls(Consumer<ServiceProcess> takeAway) {
        List<Call> calls = calls();
        try {
            Set<String> objectsBefore = objectsOf(calls);
            Set<String> everythingBefore = everythingOf(calls);
            Set<String> owners = everything(calls).filter(o -> o.type().equals("MediaPipeline"))
                    .flatMap(o -> o.sessions().stream()).collect(Collectors.toSet());

            long start = System.nanoTime();
            // Commands go out while the instance goes away, not after: they must not be lost either.
            CompletableFuture<Void> gone = CompletableFuture.runAsync(
                    () -> takeAway.accept(stack.service(SwitchboardStack.ROOM_SERVICE)));
            long lastAnswer;
            // One thread per room: each waits for its own answer, as separate clients would.
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<CompletableFuture<Long>> answers = new ArrayList<>();
                for (Call call : calls) {
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        call.toggleAudio(false);
                        return System.nanoTime();
                    }, clients));
                }
                lastAnswer = answers.stream().map(CompletableFuture::join).max(Long::compare).orElseThrow();
            }
            gone.join();

            for (Call call : calls) {
                assertThat(call.interruptions()).as("what %s's participants were told", call.roomId).isEmpty();
                assertThat(call.toggleAudio(true)).isNotNull();
            }
            assertThat(objectsOf(calls)).as("Kurento objects of the calls").isEqualTo(objectsBefore);
            eachAtOnce(calls, this::endpointsFromBeforeReport);
            // A session goes at the second collector pass that finds it idle, with what only it holds.
            await().atMost(GC_PERIOD.multipliedBy(3)).until(() -> collected(owners));
            assertThat(objectsOf(calls)).as("Kurento objects of the calls once the old owner's session was collected")
                    .isEqualTo(objectsBefore);
            eachAtOnce(calls, call -> aNewcomerSubscribes(call, everythingBefore));
            return Duration.ofNanos(lastAnswer - start);
        } finally {
            calls.forEach(Call::close);
            // Started again already when the test did so itself, as every room answering shows.
            if (!stack.service(SwitchboardStack.ROOM_SERVICE).isAlive()) {
                stack.restartService(SwitchboardStack.ROOM_SERVICE);
            }
        }
    }

    /** New calls, once the running instances have shared the rooms out: none moves while they are set up. */
    private List<Call> calls() {
        awaitSettledOwnership();
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(new Call(http, stack.signalingUrl(), stack.jwtSecret()));
        }
        return calls;
    }

    /**
     * Waits until the consumer group is stable with every running instance in it and every partition of
     * room-commands assigned to one of them: an instance started lately may still be taking rooms over, and a
     * killed one stays a member until its session times out.
     */
    private void awaitSettledOwnership() {
        long running = Stream.of(SwitchboardStack.ROOM_SERVICE, SECOND).map(stack::service).filter(ServiceProcess::isAlive).count();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                int partitions = admin.describeTopics(List.of(Topics.ROOM_COMMANDS)).allTopicNames().get()
                        .get(Topics.ROOM_COMMANDS).partitions().size();
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                long assigned = group.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                        .filter(partition -> partition.topic().equals(Topics.ROOM_COMMANDS)).count();
                return group.groupState() == GroupState.STABLE && group.members().size() == running
                        && group.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty())
                        && assigned == partitions;
            });
        }
    }

    /**
     * The network to alice's browser stalls, then recovers: Kurento reports it on her endpoint and on bob's
     * subscription, both from before the failover, to the session that listens to them and no other. Both
     * hear of it only if the new owner took those endpoints over.
     */
    private void endpointsFromBeforeReport(Call call) {
        String publisher = endpoint(call.roomId, call.aliceId, call.streamId).id();
        long aliceFrom = call.alice.frames().size();
        long bobFrom = call.bob.frames().size();

        emulator.peerStalled(publisher, true);
        await().atMost(Call.TIMEOUT).untilAsserted(() -> {
            assertThat(call.mediaStates(call.alice, aliceFrom)).as("alice, of her stream").contains("NOT_FLOWING");
            assertThat(call.mediaStates(call.bob, bobFrom)).as("bob, of his subscription").contains("NOT_FLOWING");
        });
        emulator.peerStalled(publisher, false);
        await().atMost(Call.TIMEOUT).untilAsserted(() -> {
            assertThat(call.mediaStates(call.alice, aliceFrom)).as("alice, of her stream").endsWith("FLOWING");
            assertThat(call.mediaStates(call.bob, bobFrom)).as("bob, of his subscription").endsWith("FLOWING");
        });
    }

    /**
     * carol joins after the failover and subscribes to alice's stream. Her subscription takes the warm
     * endpoint the old owner created and backed up, so the candidates it gathers are events of an endpoint
     * from before the failover too; she gets them, and alice's media, her endpoint being connected to alice's.
     */
    private void aNewcomerSubscribes(Call call, Set<String> objectsBefore) {
        Call.Subscriber carol = call.newSubscriber("carol");

        assertThat(carol.sdpAnswer()).startsWith("v=0");
        await().atMost(Call.TIMEOUT).untilAsserted(() -> {
            assertThat(call.told(carol.client(), "iceCandidate", 0)).as("carol's candidates").isNotEmpty();
            assertThat(call.mediaStates(carol.client(), 0)).as("carol, of her subscription").contains("FLOWING");
            String subscription = endpoint(call.roomId, carol.participantId(), call.streamId).id();
            assertThat(objectsBefore).as("objects from before the failover").contains(subscription);
            assertThat(endpoint(call.roomId, call.aliceId, call.streamId).sinks()).as("where alice's media goes")
                    .contains(subscription);
        });
    }

    /** Runs a check on every call at once, as their participants would live through it together. */
    private static void eachAtOnce(List<Call> calls, Consumer<Call> check) {
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            calls.stream().map(call -> CompletableFuture.runAsync(() -> check.accept(call), checks)).toList()
                    .forEach(CompletableFuture::join);
        }
    }

    /** Sends a command and records how long its answer took, or what was wrong with it. */
    private static void answered(Supplier<JsonNode> command, Predicate<JsonNode> right, List<Long> nanos, List<String> wrong) {
        long sent = System.nanoTime();
        try {
            JsonNode result = command.get();
            nanos.add(System.nanoTime() - sent);
            if (!right.test(result)) {
                wrong.add("unexpected answer " + result);
            }
        } catch (RuntimeException e) {
            wrong.add(e.getMessage());
        }
    }

    private static double millis(List<Long> sortedNanos, double quantile) {
        int index = Math.max(0, (int) Math.ceil(quantile * sortedNanos.size()) - 1);
        return sortedNanos.get(index) / 1e6;
    }

    /** The calls by the Kurento session of the instance that owns their room: the one holding its pipeline. */
    private Map<String, List<Call>> byOwner(List<Call> calls) {
        Map<String, List<Call>> byOwner = new HashMap<>();
        List<EmulatedObject> objects = emulator.objects();
        for (Call call : calls) {
            List<String> holders = objects.stream()
                    .filter(o -> o.type().equals("MediaPipeline") && call.roomId.equals(o.tags().get("room")))
                    .flatMap(o -> o.sessions().stream()).toList();
            assertThat(holders).as("sessions holding the pipeline of %s", call.roomId).hasSize(1);
            byOwner.computeIfAbsent(holders.getFirst(), owner -> new ArrayList<>()).add(call);
        }
        return byOwner;
    }

    /** A session among these that is no longer connected, or was collected already. */
    private Optional<String> gone(Set<String> sessions) {
        Set<String> connected = emulator.sessions().stream().filter(EmulatedSession::connected)
                .map(EmulatedSession::id).collect(Collectors.toSet());
        return sessions.stream().filter(session -> !connected.contains(session)).findFirst();
    }

    /** Whether the collector dropped the sessions among these that went away, and one did. */
    private boolean collected(Set<String> sessions) {
        Map<String, Boolean> connected = emulator.sessions().stream()
                .collect(Collectors.toMap(EmulatedSession::id, EmulatedSession::connected));
        return sessions.stream().anyMatch(session -> !connected.containsKey(session))
                && sessions.stream().allMatch(session -> connected.getOrDefault(session, true));
    }

    /** The endpoint serving a participant's stream, or its subscription to one. */
    private EmulatedObject endpoint(String roomId, String participantId, String streamId) {
        List<EmulatedObject> serving = emulator.objects().stream()
                .filter(o -> roomId.equals(o.tags().get("room")) && participantId.equals(o.tags().get("participant"))
                        && streamId.equals(o.tags().get("stream")))
                .toList();
        assertThat(serving).as("endpoints serving %s with %s", participantId, streamId).hasSize(1);
        return serving.getFirst();
    }

    /**
     * The pipelines and the endpoints given to streams and subscriptions: what carries the calls' media. Warm
     * endpoints are left out, since a new owner releases those that arrived after the last backup and warms others.
     */
    private Set<String> objectsOf(List<Call> calls) {
        return everything(calls).filter(o -> o.type().equals("MediaPipeline") || o.tags().containsKey("stream"))
                .map(EmulatedObject::id).collect(Collectors.toSet());
    }

    /** Every object of the calls' rooms, warm endpoints included. */
    private Set<String> everythingOf(List<Call> calls) {
        return everything(calls).map(EmulatedObject::id).collect(Collectors.toSet());
    }

    private Stream<EmulatedObject> everything(List<Call> calls) {
        Set<String> rooms = calls.stream().map(c -> c.roomId).collect(Collectors.toSet());
        return emulator.objects().stream().filter(o -> rooms.contains(o.tags().get("room")));
    }
}
