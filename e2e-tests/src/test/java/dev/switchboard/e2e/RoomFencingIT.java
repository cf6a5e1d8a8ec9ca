package dev.switchboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.auth.Hs256Tokens;
import dev.switchboard.contracts.auth.TokenClaims;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.SwitchboardStack;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.emulator.KurentoEmulator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An owner frozen in the middle of a command (a long GC pause, a frozen VM) loses its room to another instance
 * and then wakes up with that command and more still in its mailbox: nothing it writes from then on reaches any
 * topic or any client. Its media server call is held by the emulator's delay fault, its process by SIGSTOP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomFencingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SECOND = "room-service-2";

    private final HttpClient http = HttpClient.newHttpClient();
    private SwitchboardStack stack;
    private KurentoEmulator emulator;
    private Admin admin;

    @BeforeAll
    void startTwoRoomServices() {
        Path repository = Path.of(System.getProperty("switchboard.repository", "..")).toAbsolutePath().normalize();
        // A short session and patient clients, so that the other instance takes the room over while they wait.
        stack = SwitchboardStack.start(SwitchboardStack.Options.forTests(repository,
                        repository.resolve("e2e-tests/target/fencing-stack"))
                .withServiceEnv(SwitchboardStack.ROOM_SERVICE, "SWITCHBOARD_KAFKA_SESSION_TIMEOUT", "2s")
                .withServiceEnv(SwitchboardStack.GATEWAY, "SWITCHBOARD_GATEWAY_REQUEST_TIMEOUT", "25s"));
        stack.startInstance(SwitchboardStack.ROOM_SERVICE, SECOND);
        emulator = stack.emulator().orElseThrow();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aFrozenFormerOwnerWritesNothingOnceItsRoomHasMoved() throws Exception {
        ServiceProcess first = stack.service(SwitchboardStack.ROOM_SERVICE);
        String roomId = roomOwnedBy(first);
        SignalingClient alice = SignalingClient.connect(http, URI.create(stack.signalingUrl()));
        SignalingClient bob = SignalingClient.connect(http, URI.create(stack.signalingUrl()));
        try {
            join(alice, roomId, "alice");
            join(bob, roomId, "bob");
            String camera = alice.call("publish", Map.of("sdpOffer", Call.OFFER), TIMEOUT).get("streamId").asText();

            // The owner is held inside a publish by its media server, with three more commands queued behind it.
            emulator.delay("processOffer", Duration.ofSeconds(8));
            double dispatched = metric(first, "switchboard_room_commands_dispatched_total");
            CompletableFuture<JsonNode> screen = alice.request("publish", Map.of("sdpOffer", Call.OFFER));
            List<CompletableFuture<JsonNode>> toggles = new ArrayList<>();
            for (boolean audio : List.of(false, true, false)) {
                toggles.add(alice.request("setMedia", Map.of("streamId", camera, "audio", audio, "video", true)));
            }
            await().atMost(TIMEOUT).until(() -> metric(first, "switchboard_room_commands_dispatched_total") >= dispatched + 4);
            emulator.clearFaults();
            first.pause();
            System.out.println("froze " + first + " at " + Instant.now());
            try {
                // The other instance takes the room over and answers all four itself, then the room changes again.
                String screenId = screen.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get("streamId").asText();
                toggles.forEach(toggle -> assertThat(toggle.join()).isNotNull());
                bob.call("subscribe", Map.of("streamId", screenId, "sdpOffer", Call.OFFER), TIMEOUT);
            } catch (Exception e) {
                throw new AssertionError("the new owner did not answer", e);
            } finally {
                first.resume();
                System.out.println("resumed " + first + " at " + Instant.now());
            }

            // The former owner wakes up, finishes the publish and drains its mailbox: every write is refused.
            await().atMost(TIMEOUT).until(() -> metric(first, "switchboard_room_writes_refused_total") >= 1);
            await().atMost(TIMEOUT).until(() -> metric(first, "switchboard_room_partitions_owned") > 0);
            // Whoever owns the room now answers, after everything the former owner could have written.
            JsonNode last = alice.call("setMedia", Map.of("streamId", camera, "audio", true, "video", true), TIMEOUT);
            assertThat(last).isNotNull();

            assertOneVersionEach(committed(Topics.ROOM_STATUS, roomId), "room-status");
            assertBackupsOnlyMoveForward(committed(Topics.ROOM_STATE, roomId));
            assertEachSequenceUsedOnce(committed(Topics.ROOM_EVENTS, roomId));
            assertEachCommandAnsweredOnce(committed(Topics.ROOM_REPLIES, null));
            assertClientsSawOneVersionEach(alice, bob);
            assertHistoryHasNoAnomaly(roomId);
        } finally {
            alice.close();
            bob.close();
        }
    }

    /** A room id whose partition of room-commands belongs to the given instance (its consumer names its pid). */
    private String roomOwnedBy(ServiceProcess instance) throws Exception {
        Set<Integer> partitions = await().atMost(TIMEOUT).until(() -> partitionsOf(instance), p -> !p.isEmpty());
        int count = partitionCount();
        while (true) {
            String roomId = "fenced-" + UUID.randomUUID();
            if (partitions.contains(Partitions.of(roomId, count))) {
                return roomId;
            }
        }
    }

    private Set<Integer> partitionsOf(ServiceProcess instance) throws Exception {
        var group = admin.describeConsumerGroups(List.of("room-service")).all().get(10, TimeUnit.SECONDS).get("room-service");
        // Both instances must have their share, or the assignment is about to change.
        if (group.members().size() < 2) {
            return Set.of();
        }
        return group.members().stream()
                .filter(m -> m.clientId().endsWith("-" + instance.pid()))
                .flatMap(m -> m.assignment().topicPartitions().stream())
                .filter(p -> p.topic().equals(Topics.ROOM_COMMANDS))
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    private int partitionCount() throws Exception {
        return admin.describeTopics(List.of(Topics.ROOM_COMMANDS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(Topics.ROOM_COMMANDS).partitions().size();
    }

    private void join(SignalingClient client, String roomId, String user) {
        String token = Hs256Tokens.sign(new TokenClaims(user, user, List.of(roomId), List.of(),
                Instant.now().plusSeconds(900)), stack.jwtSecret());
        client.call("joinRoom", Map.of("roomId", roomId, "token", token), TIMEOUT);
    }

    /** Every record of the topic with the key, as readers of committed records see them, in order. */
    private List<JsonNode> committed(String topic, String key) {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<JsonNode> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if ((key == null || key.equals(record.key())) && record.value() != null) {
                        records.add(Json.read(record.value(), JsonNode.class));
                    }
                }
            }
            return records;
        }
    }

    /** A version is one state of the room: two different records of one version are two writers. */
    private static void assertOneVersionEach(List<JsonNode> statuses, String where) {
        Map<Long, JsonNode> byVersion = new TreeMap<>();
        long previous = -1;
        for (JsonNode status : statuses) {
            long version = status.get("version").asLong();
            assertThat(version).as("versions on %s, in order", where).isGreaterThanOrEqualTo(previous);
            JsonNode earlier = byVersion.putIfAbsent(version, status);
            if (earlier != null) {
                assertThat(status).as("the two records of version %d on %s", version, where).isEqualTo(earlier);
            }
            previous = version;
        }
        assertThat(byVersion).as(where).isNotEmpty();
    }

    private static void assertBackupsOnlyMoveForward(List<JsonNode> backups) {
        List<Long> versions = backups.stream().map(b -> b.get("version").asLong()).toList();
        assertThat(versions).as("versions of the room's backups").isNotEmpty().isSorted().doesNotHaveDuplicates();
    }

    private static void assertEachSequenceUsedOnce(List<JsonNode> events) {
        Map<String, Map<Long, Set<String>>> idsBySequence = new HashMap<>();
        for (JsonNode event : events) {
            idsBySequence.computeIfAbsent(event.get("callid").asText(), c -> new TreeMap<>())
                    .computeIfAbsent(event.get("sequence").asLong(), s -> new java.util.HashSet<>())
                    .add(event.get("id").asText());
        }
        assertThat(idsBySequence).isNotEmpty();
        idsBySequence.forEach((call, sequences) -> sequences.forEach((sequence, ids) ->
                assertThat(ids).as("events of call %s with sequence %d", call, sequence).hasSize(1)));
    }

    /** A command answered twice, differently, was answered by two owners. */
    private static void assertEachCommandAnsweredOnce(List<JsonNode> replies) {
        Map<String, JsonNode> byCommand = new HashMap<>();
        int seen = 0;
        for (JsonNode reply : replies) {
            String commandId = reply.path("body").path("commandId").asText(null);
            if (commandId == null) {
                continue;
            }
            seen++;
            JsonNode earlier = byCommand.putIfAbsent(commandId, reply);
            if (earlier != null) {
                assertThat(reply).as("the answers to command %s", commandId).isEqualTo(earlier);
            }
        }
        assertThat(seen).as("answers to commands").isPositive();
    }

    private static void assertClientsSawOneVersionEach(SignalingClient... clients) {
        for (SignalingClient client : clients) {
            List<JsonNode> statuses = client.frames().stream()
                    .map(frame -> Json.read(frame, JsonNode.class))
                    .filter(frame -> "roomStatus".equals(frame.path("method").asText()))
                    .map(frame -> frame.get("params"))
                    .toList();
            assertOneVersionEach(statuses, "a client's room status");
        }
    }

    private void assertHistoryHasNoAnomaly(String roomId) {
        String token = Hs256Tokens.sign(new TokenClaims("operator", "Operator", List.of(), List.of(TokenClaims.ADMIN),
                Instant.now().plusSeconds(900)), stack.jwtSecret());
        JsonNode call = await().atMost(TIMEOUT).until(() -> {
            JsonNode calls = get("/calls?roomId=" + roomId, token);
            return calls.at("/items/0/callId").isMissingNode() ? null
                    : get("/calls/" + calls.at("/items/0/callId").asText(), token);
        }, found -> found != null && found.get("streams").size() >= 2);
        assertThat(StreamSupport.stream(call.get("anomalies").spliterator(), false).toList())
                .as("anomalies history found in the call").isEmpty();
    }

    private JsonNode get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.historyUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Json.read(response.body(), JsonNode.class);
    }

    private double metric(ServiceProcess instance, String name) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
