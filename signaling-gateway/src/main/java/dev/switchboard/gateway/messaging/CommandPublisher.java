package dev.switchboard.gateway.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.gateway.config.GatewayIdentity;
import dev.switchboard.gateway.config.SwitchboardConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Sends room commands to {@code room-commands}, keyed by room id, so that each room sees them in order. */
@ApplicationScoped
public class CommandPublisher {

    private final KafkaProducer<String, byte[]> producer;
    /**
     * {@code send} blocks while the producer waits for metadata or buffer space; one thread keeps that off
     * the event loop and keeps commands in the order they were given.
     */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("room-command-sender").daemon().factory());

    CommandPublisher(KafkaClients kafka, GatewayIdentity gateway, SwitchboardConfig config) {
        this.producer = kafka.producer("gateway-" + gateway.id(), config.gateway().requestTimeout().dividedBy(2));
    }

    /** Completes when Kafka has the command, or exceptionally when it cannot be written. */
    public CompletableFuture<Void> publish(RoomCommand command) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ROOM_COMMANDS, command.roomId(),
                Json.writeBytes(command));
        try {
            sender.execute(() -> send(record, written));
        } catch (RejectedExecutionException shuttingDown) {
            written.completeExceptionally(shuttingDown);
        }
        return written;
    }

    private void send(ProducerRecord<String, byte[]> record, CompletableFuture<Void> written) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
    }

    /** Sends what was given before, such as the connectionLost of sockets closed at shutdown, then stops. */
    @PreDestroy
    void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(5));
    }
}
