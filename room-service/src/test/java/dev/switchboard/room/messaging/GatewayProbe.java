package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.contracts.protocol.ServerNotification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Plays a signaling gateway against room-service over real Kafka: sends commands, and records every
 * reply, status and event that comes back.
 */
public final class GatewayProbe implements AutoCloseable {

    public final String gatewayId = "probe-" + UUID.randomUUID();
    public final List<GatewayMessage> messages = new CopyOnWriteArrayList<>();
    final List<RoomStatus> statuses = new CopyOnWriteArrayList<>();
    /** Rooms whose status was erased: they closed. */
    final List<String> gone = new CopyOnWriteArrayList<>();
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;

    public GatewayProbe(String bootstrapServers) {
        TopicCreator.ensureTopics(bootstrapServers, Topics.DEFAULT_PARTITIONS, (short) 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.of(Topics.ROOM_REPLIES, Topics.ROOM_STATUS, Topics.ROOM_EVENTS)
                .flatMap(topic -> IntStream.range(0, Topics.DEFAULT_PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        poller = Thread.ofPlatform().name("gateway-probe").start(this::poll);
    }

    public String send(String roomId, String connectionId, String participantId, RoomCommand.Command command) {
        return send(new RoomCommand(UUID.randomUUID().toString(), roomId, gatewayId, connectionId, participantId,
                Instant.now(), command));
    }

    String send(RoomCommand command) {
        producer.send(new ProducerRecord<>(Topics.ROOM_COMMANDS, command.roomId(), Json.writeBytes(command)));
        return command.commandId();
    }

    /** The real Chromium offer the tests publish and subscribe with. */
    public static String chromiumOffer() {
        try (java.io.InputStream sdp = GatewayProbe.class.getResourceAsStream("/offer-chromium.sdp")) {
            return new String(sdp.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The result of a command that must succeed. */
    public RequestResult result(String commandId) {
        GatewayMessage.Body answer = awaitAnswer(commandId);
        org.assertj.core.api.Assertions.assertThat(answer).as("answer to %s", commandId).isInstanceOf(GatewayMessage.Reply.class);
        return ((GatewayMessage.Reply) answer).result();
    }

    /** Joins {@code userId} over {@code connectionId}: its participant id. */
    public String joined(String roomId, String connectionId, String userId) {
        return ((RequestResult.Joined) result(send(roomId, connectionId, null,
                new RoomCommand.Join(userId, userId, null)))).participantId();
    }

    /** Publishes a camera with {@code offer}: its stream id. */
    public String published(String roomId, String connectionId, String participantId, String offer) {
        return ((RequestResult.Published) result(send(roomId, connectionId, participantId,
                new RoomCommand.Publish(offer, dev.switchboard.contracts.protocol.StreamKind.CAMERA)))).streamId();
    }

    public GatewayMessage.Body awaitAnswer(String commandId) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> messages.stream()
                .map(GatewayMessage::body)
                .filter(body -> commandId.equals(switch (body) {
                    case GatewayMessage.Reply r -> r.commandId();
                    case GatewayMessage.Failure f -> f.commandId();
                    case GatewayMessage.Push p -> null;
                }))
                .findFirst().orElse(null), body -> body != null);
    }

    /** What the rooms pushed to a connection, in the order it came. */
    public List<ServerNotification> pushedTo(String connectionId) {
        return messages.stream()
                .filter(m -> m.connectionId().equals(connectionId) && m.body() instanceof GatewayMessage.Push)
                .map(m -> ((GatewayMessage.Push) m.body()).notification())
                .toList();
    }

    public List<RoomEvent> events(String roomId) {
        return events.stream().filter(e -> e.roomId().equals(roomId)).toList();
    }

    private void poll() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.value() == null) {
                        if (record.topic().equals(Topics.ROOM_STATUS)) {
                            gone.add(record.key());
                        }
                        continue;
                    }
                    switch (record.topic()) {
                        case Topics.ROOM_REPLIES -> {
                            GatewayMessage message = Json.read(record.value(), GatewayMessage.class);
                            if (message.gatewayId().equals(gatewayId)) {
                                messages.add(message);
                            }
                        }
                        case Topics.ROOM_STATUS -> statuses.add(Json.read(record.value(), RoomStatus.class));
                        default -> events.add(Json.read(record.value(), RoomEvent.class));
                    }
                }
            }
        } catch (WakeupException closing) {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join();
        producer.close();
    }
}
