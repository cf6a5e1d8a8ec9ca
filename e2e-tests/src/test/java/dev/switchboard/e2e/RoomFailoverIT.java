package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.emulator.EmulatedObject;
import dev.switchboard.emulator.KurentoEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two room-service instances share the rooms; one of them goes away, gracefully or by kill -9, in the
 * middle of calls. The other serves every room from its backup: commands sent meanwhile are answered,
 * nobody is dropped or asked to renegotiate, and Kurento keeps exactly the same objects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomFailoverIT {

    private static final int CALLS = 12;
    private static final String SECOND = "room-service-2";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectNode figures = Json.mapper().createObjectNode();
    private SwitchboardStack stack;
    private KurentoEmulator emulator;

    @BeforeAll
    void startTwoRoomServices() {
        Path repository = Path.of(System.getProperty("switchboard.repository", "..")).toAbsolutePath().normalize();
        stack = SwitchboardStack.start(SwitchboardStack.Options.forTests(repository,
                repository.resolve("e2e-tests/target/failover-stack")));
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
    void killedInstancesRoomsAreServedByTheOther() {
        // How long it took is a figure for the benchmark (bench/failover), not a bound of the test.
        Duration answeredWithin = loseAnInstanceDuringCalls(ServiceProcess::kill);

        figures.put("killMinus9AllRoomsAnsweredMillis", answeredWithin.toMillis());
    }

    @Test
    void gracefullyStoppedInstanceHandsItsRoomsOver() {
        Duration answeredWithin = loseAnInstanceDuringCalls(ServiceProcess::stop);

        figures.put("gracefulStopAllRoomsAnsweredMillis", answeredWithin.toMillis());
    }

    @Test
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
     * Sets calls up, takes the first room-service away the given way while every room gets a command,
     * checks nothing was lost and returns how long until every room had answered. The instance is
     * started again afterwards.
     */
    private Duration loseAnInstanceDuringCalls(Consumer<ServiceProcess> takeAway) {
        List<Call> calls = IntStream.range(0, CALLS)
                .mapToObj(i -> new Call(http, stack.signalingUrl(), stack.jwtSecret())).toList();
        try {
            Set<String> objectsBefore = objectsOf(calls);

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
            return Duration.ofNanos(lastAnswer - start);
        } finally {
            calls.forEach(Call::close);
            // Started again already when the test did so itself, as every room answering shows.
            if (!stack.service(SwitchboardStack.ROOM_SERVICE).isAlive()) {
                stack.restartService(SwitchboardStack.ROOM_SERVICE);
            }
        }
    }

    /**
     * The pipelines and the endpoints given to streams and subscriptions: what carries the calls' media. Warm
     * endpoints are left out, since a new owner releases those that arrived after the last backup and warms others.
     */
    private Set<String> objectsOf(List<Call> calls) {
        Set<String> rooms = calls.stream().map(c -> c.roomId).collect(Collectors.toSet());
        return emulator.objects().stream()
                .filter(o -> rooms.contains(o.tags().get("room")))
                .filter(o -> o.type().equals("MediaPipeline") || o.tags().containsKey("stream"))
                .map(EmulatedObject::id)
                .collect(Collectors.toSet());
    }
}
