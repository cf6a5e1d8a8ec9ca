package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kurento.client.Continuation;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

/** The latency model through the real client: KMS-like costs, a worker pool across objects, arrival order per object. */
class LatencyTest {

    @Test
    void theFirstEndpointOfAFreshServerMakesItsCertificate() {
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withLatency(LatencyModel.realistic()))) {
            KurentoClient kurento = Kms.client(emulator);
            MediaPipeline pipeline = kurento.createMediaPipeline();

            long start = System.nanoTime();
            new WebRtcEndpoint.Builder(pipeline).build();

            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            kurento.destroy();
        }
    }

    /** Two creations at once on a one-core server: the second waits for the worker the first holds. */
    @Test
    void concurrentCallsQueueForTheWorkers() {
        LatencyModel slowPipelines = LatencyModel.realistic().with("create:MediaPipeline", Duration.ofMillis(150), Duration.ofMillis(150));
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withLatency(slowPipelines).withWorkers(1))) {
            KurentoClient kurento = Kms.client(emulator);
            long start = System.nanoTime();
            List<CompletableFuture<Duration>> answered = IntStream.range(0, 2).mapToObj(i -> {
                CompletableFuture<MediaPipeline> created = new CompletableFuture<>();
                kurento.createMediaPipeline(continuation(created));
                return created.thenApply(pipeline -> since(start));
            }).toList();

            assertThat(answered.stream().map(CompletableFuture::join).max(Duration::compareTo).orElseThrow())
                    .as("one after the other (the emulator's clock counts whole milliseconds)")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(299));
            assertThat(emulator.objects()).hasSize(2);
            kurento.destroy();
        }
    }

    /** A quick call sent after a slow one on another object overtakes it only if a second worker is free. */
    @ParameterizedTest
    @CsvSource({"1, slow first", "2, quick first"})
    void callsOverlapAsFarAsThePoolAllows(int workers, String expected) {
        // Answers 100 ms apart or more either way, so the client's threads cannot swap them.
        LatencyModel costs = LatencyModel.realistic()
                .with("create:MediaPipeline", Duration.ofMillis(300), Duration.ofMillis(300))
                .with("getName", Duration.ofMillis(100), Duration.ofMillis(100));
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withLatency(costs).withWorkers(workers))) {
            KurentoClient kurento = Kms.client(emulator);
            MediaPipeline existing = kurento.createMediaPipeline();
            Queue<String> answers = new ConcurrentLinkedQueue<>();
            CompletableFuture<MediaPipeline> slow = new CompletableFuture<>();
            CompletableFuture<String> quick = new CompletableFuture<>();

            kurento.createMediaPipeline(continuation(slow));
            existing.getName(continuation(quick));
            CompletableFuture.allOf(slow.thenRun(() -> answers.add("slow")), quick.thenRun(() -> answers.add("quick"))).join();

            assertThat(answers.peek() + " first").isEqualTo(expected);
            kurento.destroy();
        }
    }

    @Test
    void callsOnOneObjectWaitForEachOther() {
        try (KurentoEmulator emulator = KurentoEmulator.start()) {
            KurentoClient kurento = Kms.client(emulator);
            MediaPipeline pipeline = kurento.createMediaPipeline();
            emulator.delay("getName", Duration.ofMillis(150));

            long start = System.nanoTime();
            CompletableFuture<String> first = CompletableFuture.supplyAsync(pipeline::getName);
            CompletableFuture<String> second = CompletableFuture.supplyAsync(pipeline::getName);
            CompletableFuture.allOf(first, second).join();

            assertThat(since(start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            kurento.destroy();
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static <T> Continuation<T> continuation(CompletableFuture<T> future) {
        return new Continuation<>() {
            @Override
            public void onSuccess(T result) {
                future.complete(result);
            }

            @Override
            public void onError(Throwable cause) {
                future.completeExceptionally(cause);
            }
        };
    }
}
