package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.TopicTail;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.ErrorCode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An operator's commands go to a room the way a client's do, through {@code room-commands}, so that
 * whichever instance owns the room handles them in its mailbox; answers come back on {@code room-replies}
 * addressed to this instance's admin id.
 */
@ApplicationScoped
public class AdminCommands {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final String adminId = "room-service-admin-" + UUID.randomUUID();
    private final Map<String, CompletableFuture<GatewayMessage.Body>> pending = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile TopicTail replies;

    public AdminCommands(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends a command to a room and waits for its answer; a room that cannot be reached is a failure too. */
    public GatewayMessage.Body send(String roomId, RoomCommand.Command command) {
        start();
        String commandId = UUID.randomUUID().toString();
        CompletableFuture<GatewayMessage.Body> answer = new CompletableFuture<>();
        pending.put(commandId, answer);
        try {
            producer.send(new ProducerRecord<>(Topics.ROOM_COMMANDS, roomId, Json.writeBytes(new RoomCommand(
                    commandId, roomId, adminId, "admin", null, Instant.now(), command)))).get(5, TimeUnit.SECONDS);
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new GatewayMessage.Failure(commandId, ErrorCode.TIMED_OUT.code(),
                    "room " + roomId + " did not answer within " + ANSWER_TIMEOUT);
        } catch (ExecutionException e) {
            return new GatewayMessage.Failure(commandId, ErrorCode.UNAVAILABLE.code(),
                    "cannot reach room " + roomId + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pending.remove(commandId);
        }
    }

    /** Connects on first use: most instances never get an operator's command. */
    private synchronized void start() {
        if (producer != null) {
            return;
        }
        replies = new TopicTail(() -> new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer()), Topics.ROOM_REPLIES, TopicTail.From.END,
                // room-replies keeps its partition count when room-commands grows: the topic's own count is the one.
                all -> List.of(Partitions.of(adminId, all.size())), this::onReply);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** How the tail of this instance's answers fares, for the liveness check; none before the first command. */
    public TopicTail.Health health() {
        TopicTail current = replies;
        return current == null ? TopicTail.Health.NOT_STARTED : current.health();
    }

    private void onReply(ConsumerRecord<String, byte[]> record) {
        if (!adminId.equals(record.key()) || record.value() == null) {
            return;
        }
        GatewayMessage message = Json.read(record.value(), GatewayMessage.class);
        String commandId = switch (message.body()) {
            case GatewayMessage.Reply reply -> reply.commandId();
            case GatewayMessage.Failure failure -> failure.commandId();
            case GatewayMessage.Push push -> null;
        };
        CompletableFuture<GatewayMessage.Body> answer = commandId == null ? null : pending.get(commandId);
        if (answer != null) {
            answer.complete(message.body());
        }
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (replies != null) {
            replies.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
