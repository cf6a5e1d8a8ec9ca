package dev.switchboard.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.gateway.support.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static dev.switchboard.gateway.support.Fixtures.WAIT;
import static dev.switchboard.gateway.support.Fixtures.newRoomId;
import static dev.switchboard.gateway.support.Fixtures.status;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Thousands of sockets opening and closing at once must not starve the connections that stay. */
@QuarkusTest
class ConnectionChurnTest extends GatewayTestBase {

    private static final int WANTED = 2000;
    private static final int HTTP_CLIENTS = 4;
    /** Bounds how many handshakes and closes are in flight at once, as a fleet of real clients would. */
    private static final int WORKERS = 64;
    /** Generous: on two cores the test's own 2,000 clients compete with the gateway for the CPU. */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(2);
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);
    private static final Pattern CONNECTIONS = Pattern.compile("(?m)^switchboard_gateway_connections(?:\\{[^}]*})? (\\S+)$");

    @Test
    void thousandsOfSocketsOpeningAndClosingAtOnceLeaveAJoinedClientServedAndTheGatewayReady() {
        int count = connectionsTheFileLimitAllows();
        String roomId = newRoomId();
        SignalingClient steady = connect();
        join(steady, roomId, "steady");
        long before = openConnections();

        Queue<Long> probeMillis = new ConcurrentLinkedQueue<>();
        Queue<Throwable> probeFailures = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_CLIENTS * 2);
        List<HttpClient> https = IntStream.range(0, HTTP_CLIENTS)
                .mapToObj(i -> HttpClient.newBuilder().executor(httpThreads).build())
                .toList();
        try {
            // Fixed rate, never overlapping: a slow answer shows as one long probe, not as a pile-up.
            prober.scheduleAtFixedRate(() -> probe(steady, probeMillis, probeFailures), 0,
                    PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            List<CompletableFuture<SignalingClient>> opening = IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        SignalingClient client = SignalingClient.connect(https.get(i % HTTP_CLIENTS), signalingUri());
                        assertThat(client.call("ping", null, WAIT).toString()).isEqualTo("{}");
                        return client;
                    }, workers))
                    .toList();
            List<SignalingClient> churn = opening.stream().map(CompletableFuture::join).toList();
            assertThat(openConnections()).isGreaterThanOrEqualTo(count);

            // Half say goodbye, half vanish as a dropped network does; both kinds must be forgotten.
            CompletableFuture.allOf(IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.runAsync(() -> {
                        if (i % 2 == 0) {
                            churn.get(i).close();
                        } else {
                            churn.get(i).abort();
                        }
                    }, workers))
                    .toArray(CompletableFuture[]::new)).join();
            await().atMost(WAIT).until(() -> openConnections() <= before);
        } finally {
            stop(prober);
            workers.shutdownNow();
            https.forEach(HttpClient::shutdownNow);
            httpThreads.shutdownNow();
        }

        assertThat(probeFailures).isEmpty();
        assertThat(probeMillis).hasSizeGreaterThan(5).allSatisfy(millis -> assertThat(millis).isLessThan(PROBE_BOUND.toMillis()));
        given().when().get("/q/health/ready").then().statusCode(200);
        assertStillServes(steady, roomId);
    }

    /** Lets a probe in flight finish: interrupting it would count as a failed ping. */
    private static void stop(ScheduledExecutorService prober) {
        prober.shutdown();
        try {
            prober.awaitTermination(PROBE_BOUND.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void probe(SignalingClient steady, Queue<Long> millis, Queue<Throwable> failures) {
        long start = System.nanoTime();
        try {
            steady.call("ping", null, PROBE_BOUND);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** The joined client still hears its room, and a newcomer joins and publishes as usual. */
    private void assertStillServes(SignalingClient steady, String roomId) {
        room.publishStatus(status(roomId, 2));
        assertThat(steady.awaitNotification("roomStatus", WAIT).params().get("version").asLong()).isEqualTo(2);

        SignalingClient newcomer = connect();
        join(newcomer, roomId, "newcomer");
        CompletableFuture<JsonNode> published = newcomer.request("publish", Map.of("sdpOffer", "v=0\r\n"));
        room.reply(room.awaitCommand(roomId, RoomCommand.Publish.class), new RequestResult.Published("s-new", "v=0"));
        assertThat(published).succeedsWithin(WAIT).satisfies(result -> assertThat(result.get("streamId").asText()).isEqualTo("s-new"));
    }

    private static long openConnections() {
        Matcher gauge = CONNECTIONS.matcher(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        assertThat(gauge.find()).as("switchboard_gateway_connections in /q/metrics").isTrue();
        return (long) Double.parseDouble(gauge.group(1));
    }

    /**
     * Client and gateway share this JVM, so each connection holds two descriptors. The test takes at most
     * a third of what is left, raising no limit; on a machine with a low limit it runs with fewer sockets.
     */
    private static int connectionsTheFileLimitAllows() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long spare = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
            return (int) Math.min(WANTED, spare / 3 / 2);
        }
        return WANTED;
    }
}
