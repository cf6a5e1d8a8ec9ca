package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.kurento.client.Continuation;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

/** The latency model: KMS-like costs per call, paid concurrently across objects and in order per object. */
class LatencyTest {

    @Test
    void realisticCostsAreWhatKmsWasMeasuredAt() {
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withLatency(LatencyModel.realistic()))) {
            KurentoClient kurento = Kms.client(emulator);
            long start = System.nanoTime();
            MediaPipeline pipeline = kurento.createMediaPipeline();
            Duration pipelineCost = since(start);
            start = System.nanoTime();
            WebRtcEndpoint endpoint = new WebRtcEndpoint.Builder(pipeline).build();
            Duration endpointCost = since(start);
            start = System.nanoTime();
            endpoint.processOffer(Kms.chromiumOffer());
            Duration offerCost = since(start);

            assertThat(pipelineCost).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            assertThat(endpointCost).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            assertThat(offerCost).isGreaterThanOrEqualTo(Duration.ofMillis(5));
            kurento.destroy();
        }
    }

    @Test
    void slowCreationsOverlapInsteadOfQueueing() {
        int count = 10;
        LatencyModel slowPipelines = LatencyModel.none().with("create:MediaPipeline", Duration.ofMillis(200), Duration.ofMillis(200));
        try (KurentoEmulator emulator = KurentoEmulator.start(EmulatorSettings.defaults().withLatency(slowPipelines))) {
            KurentoClient kurento = Kms.client(emulator);
            long start = System.nanoTime();
            List<CompletableFuture<MediaPipeline>> pipelines = IntStream.range(0, count).mapToObj(i -> {
                CompletableFuture<MediaPipeline> created = new CompletableFuture<>();
                kurento.createMediaPipeline(continuation(created));
                return created;
            }).toList();
            pipelines.forEach(CompletableFuture::join);

            assertThat(since(start)).as("ten 200 ms creations at once").isLessThan(Duration.ofMillis(200L * count / 2));
            assertThat(emulator.objects()).hasSize(count);
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
