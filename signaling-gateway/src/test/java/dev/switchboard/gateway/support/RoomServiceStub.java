package dev.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Plays room-service over the real topics: reads the gateway's commands, writes replies, pushes and statuses. */
public final class RoomServiceStub implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<RoomCommand> commands = new CopyOnWriteArrayList<>();
    private final Thread reader;

    public RoomServiceStub(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROOM_COMMANDS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.reader = Thread.ofPlatform().name("room-service-stub").daemon().start(this::read);
    }

    /** Waits for the first command of the room that matches and has not been taken yet, and takes it. */
    public RoomCommand awaitCommand(String roomId, Class<? extends RoomCommand.Command> type) {
        return awaitCommand(command -> command.roomId().equals(roomId) && type.isInstance(command.command()));
    }

    public RoomCommand awaitCommand(Predicate<RoomCommand> matching) {
        RoomCommand found = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> commands.stream().filter(matching).findFirst(), Optional::isPresent)
                .orElseThrow();
        commands.remove(found);
        return found;
    }

    /** The commands of a room not taken yet. */
    public List<RoomCommand> commandsOf(String roomId) {
        return commands.stream().filter(command -> command.roomId().equals(roomId)).toList();
    }

    /** Lets {@code client} join as {@code user} (participant {@code p-USER}) and waits until it has; returns the Join. */
    public RoomCommand admit(SignalingClient client, String roomId, String user) {
        CompletableFuture<JsonNode> result = client.request("joinRoom", Fixtures.joinParams(roomId, Fixtures.token(user, roomId)));
        RoomCommand join = awaitCommand(roomId, RoomCommand.Join.class);
        reply(join, new RequestResult.Joined("p-" + user, ResumeTokens.issue(roomId), Fixtures.status(roomId, 1)));
        result.orTimeout(Fixtures.WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return join;
    }

    public void reply(RoomCommand command, RequestResult result) {
        toGateway(command, new GatewayMessage.Reply(command.commandId(), result));
    }

    public void fail(RoomCommand command, int code, String message) {
        toGateway(command, new GatewayMessage.Failure(command.commandId(), code, message));
    }

    public void push(RoomCommand toConnectionOf, ServerNotification notification) {
        toGateway(toConnectionOf, new GatewayMessage.Push(notification));
    }

    public void publishStatus(RoomStatus status) {
        send(new ProducerRecord<>(Topics.ROOM_STATUS, status.roomId(), Json.writeBytes(status)));
    }

    /** Writes many statuses at once, without waiting for each. */
    public void publishStatuses(List<RoomStatus> statuses) {
        statuses.forEach(status -> producer.send(new ProducerRecord<>(Topics.ROOM_STATUS, status.roomId(), Json.writeBytes(status))));
        producer.flush();
    }

    /** Writes raw bytes to a topic, as a faulty producer might. */
    public void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + record.topic(), e);
        }
    }

    private void toGateway(RoomCommand command, GatewayMessage.Body body) {
        GatewayMessage message = new GatewayMessage(command.gatewayId(), command.connectionId(), body);
        send(new ProducerRecord<>(Topics.ROOM_REPLIES, command.gatewayId(), Json.writeBytes(message)));
    }

    private void read() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    commands.add(Json.read(record.value(), RoomCommand.class));
                }
            }
        } catch (WakeupException closing) {
            consumer.close();
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        producer.close();
    }
}
