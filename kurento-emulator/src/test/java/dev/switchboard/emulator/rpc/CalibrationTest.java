package dev.switchboard.emulator.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.emulator.LatencyModel;
import dev.switchboard.emulator.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The realistic model against the KMS 7.3 recordings of kms-traces (README, "Latencies" and
 * "Concurrency"), on schedules computed from arrival times: seeded draws, no clock.
 */
class CalibrationTest {

    private static final List<String> CREATE_ENDPOINT = List.of("create:WebRtcEndpoint", "create");
    private static final List<String> PROCESS_OFFER = List.of("invoke:processOffer", "processOffer", "invoke");
    private static final List<String> GATHER = List.of("invoke:gatherCandidates", "gatherCandidates", "invoke");
    private static final int RECORDED_WORKERS = 2;
    private static final int ROUNDS = 20_000;

    private final LatencyModel model = LatencyModel.realistic();
    private final SplittableRandom random = new SplittableRandom(20261202);

    @Test
    void anIdleServerAnswersAsTheSequentialTableSays() {
        double[] creates = draws(CREATE_ENDPOINT);
        double[] offers = draws(PROCESS_OFFER);

        assertQuantiles(creates, 6.0, 11.5, 45.0);
        assertQuantiles(offers, 8.8, 15.3, 27.3);
    }

    /** One client, one participant after another: create, processOffer, gatherCandidates, each sent once the last is answered. */
    @Test
    void participantsOneAfterAnotherTakeWhatTheTableSays() {
        WorkerPool pool = new WorkerPool(RECORDED_WORKERS);
        double[] creates = new double[ROUNDS];
        double[] offers = new double[ROUNDS];
        double[] participants = new double[ROUNDS];
        long now = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long created = pool.reserve(now, model.sample(CREATE_ENDPOINT, random));
            long offered = pool.reserve(created, model.sample(PROCESS_OFFER, random));
            long gathered = pool.reserve(offered, model.sample(GATHER, random));
            creates[i] = millis(created - now);
            offers[i] = millis(offered - created);
            participants[i] = millis(gathered - now);
            now = gathered;
        }

        assertQuantiles(creates, 6.0, 11.5, 45.0);
        assertQuantiles(offers, 8.8, 15.3, 27.3);
        // The gatherCandidates waits for a worker still busy with the create or the offer.
        assertQuantiles(participants, 24.0, 67.7, 95.7);
    }

    @Test
    void sixteenCreatesAtOnceTakeTheirTurnsOnTwoWorkers() {
        double span = medianSpan(CREATE_ENDPOINT);

        assertThat(span).as("recorded: all answered within ~206 ms").isBetween(180.0, 215.0);
        assertThat(16 / span * 1000).as("creates per second, recorded ~80").isBetween(74.0, 89.0);
    }

    @Test
    void sixteenOffersAtOnceTakeTheirTurnsOnTwoWorkers() {
        double span = medianSpan(PROCESS_OFFER);

        assertThat(span).as("recorded: the last answered ~130 ms after it was sent").isBetween(125.0, 150.0);
        assertThat(16 / span * 1000).as("offers per second, recorded ~115").isBetween(105.0, 128.0);
    }

    @Test
    void aWorkerTakesOneCallAtATime() {
        WorkerPool pool = new WorkerPool(1);
        LatencyModel.Sample answerSoonerThanDone = new LatencyModel.Sample(Duration.ofMillis(6), Duration.ofMillis(25));

        long first = pool.reserve(0, answerSoonerThanDone);
        long second = pool.reserve(0, answerSoonerThanDone);
        long whenIdle = pool.reserve(Duration.ofMillis(50).toNanos(), answerSoonerThanDone);

        assertThat(millis(first)).isEqualTo(6);
        assertThat(millis(second)).as("after the first's whole work").isEqualTo(31);
        assertThat(millis(whenIdle)).as("the second done at 50 ms, the worker starts at once").isEqualTo(56);
    }

    /** KMS runs a transaction's operations one after another on one worker; the publish-like one was answered in 15 ms. */
    @Test
    void aTransactionCostsItsOperations() throws JsonProcessingException {
        Call publish = Call.of(Json.parse("""
                {"id":3,"method":"transaction","jsonrpc":"2.0","params":{"operations":[
                  {"id":0,"method":"create","params":{"type":"WebRtcEndpoint","constructorParams":{"mediaPipeline":"p"}},"jsonrpc":"2.0"},
                  {"id":1,"method":"invoke","params":{"object":"newref:0","operation":"processOffer","operationParams":{"offer":"o"}},"jsonrpc":"2.0"},
                  {"id":2,"method":"invoke","params":{"object":"newref:0","operation":"gatherCandidates"},"jsonrpc":"2.0"}]}}
                """));
        List<LatencyModel.Sample> costs = IntStream.range(0, ROUNDS).mapToObj(i -> publish.cost(model, random)).toList();

        assertThat(publish.creates("WebRtcEndpoint")).isTrue();
        assertThat(quantile(costs.stream().mapToDouble(cost -> millis(cost.latency().toNanos())).toArray(), 0.5))
                .isBetween(12.0, 20.0);
        assertThat(costs).allSatisfy(cost -> assertThat(cost.work()).as("the create's and the offer's worker time")
                .isGreaterThanOrEqualTo(Duration.ofMillis(25 + 18)));
    }

    /** Each worker's calls back to back from time 0; the median over many rounds of when the last is answered. */
    private double medianSpan(List<String> call) {
        double[] spans = new double[1_000];
        for (int round = 0; round < spans.length; round++) {
            WorkerPool pool = new WorkerPool(RECORDED_WORKERS);
            List<Long> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.reserve(0, model.sample(call, random)));
            }
            spans[round] = millis(answers.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
        return quantile(spans, 0.5);
    }

    private double[] draws(List<String> call) {
        ToDoubleFunction<LatencyModel.Sample> latency = sample -> millis(sample.latency().toNanos());
        return IntStream.range(0, ROUNDS).mapToDouble(i -> latency.applyAsDouble(model.sample(call, random))).toArray();
    }

    private static void assertQuantiles(double[] values, double p50, double p90, double p99) {
        assertThat(quantile(values, 0.50)).as("p50").isCloseTo(p50, within(p50 * 0.1));
        assertThat(quantile(values, 0.90)).as("p90").isCloseTo(p90, within(p90 * 0.1));
        assertThat(quantile(values, 0.99)).as("p99").isCloseTo(p99, within(p99 * 0.1));
    }

    private static double quantile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
