package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.room.room.RoomOutput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link RoomOutput} on Kafka: each write is part of a transaction fenced by this instance's ownership of the room. */
@ApplicationScoped
public class KafkaRoomOutput implements RoomOutput {

    private static final Logger LOG = Logger.getLogger(KafkaRoomOutput.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final RoomTransactions transactions;

    public KafkaRoomOutput(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                           RoomOwnership ownership, RoomServiceConfig config, MeterRegistry registry) {
        // A transactional id of its own per process: fencing comes from the group membership (KIP-447), not the id.
        String transactionalId = "room-service-" + UUID.randomUUID();
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.kafka().transactionTimeout().toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        this.transactions = new RoomTransactions(
                () -> new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer()),
                ownership, WRITE_TIMEOUT, Counter.builder("switchboard.room.writes.refused")
                .description("Rooms' writes refused because the room had moved to another instance")
                .register(registry)::increment);
    }

    @Override
    public void write(String roomId, Write write) {
        try {
            transactions.submit(roomId, records(roomId, write), write.handled())
                    .get(WRITE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new IllegalStateException("Kafka did not take room " + roomId + "'s change", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not take room " + roomId + "'s change in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void relay(String roomId, GatewayMessage message) {
        transactions.submit(roomId, List.of(record(Topics.ROOM_REPLIES, message.gatewayId(), message)), Write.NOTHING_HANDLED)
                .whenComplete((written, failure) -> {
                    if (failure != null) {
                        LOG.warnf("room %s could not relay %s to connection %s: %s", roomId,
                                message.body(), message.connectionId(), failure.getMessage());
                    }
                });
    }

    private static List<ProducerRecord<String, byte[]>> records(String roomId, Write write) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        switch (write.backup()) {
            case Backup.Current current -> records.add(record(Topics.ROOM_STATE, roomId, current.state()));
            case Backup.Erased erased -> records.add(record(Topics.ROOM_STATE, roomId, null));
            case Backup.Unchanged unchanged -> {
            }
        }
        write.events().forEach(event -> records.add(record(Topics.ROOM_EVENTS, roomId, event)));
        switch (write.status()) {
            case StatusUpdate.Current current -> records.add(record(Topics.ROOM_STATUS, roomId, current.status()));
            case StatusUpdate.Gone gone -> records.add(record(Topics.ROOM_STATUS, roomId, null));
            case StatusUpdate.Unchanged unchanged -> {
            }
        }
        write.messages().forEach(message -> records.add(record(Topics.ROOM_REPLIES, message.gatewayId(), message)));
        return records;
    }

    private static ProducerRecord<String, byte[]> record(String topic, String key, Object value) {
        return new ProducerRecord<>(topic, key, value == null ? null : Json.writeBytes(value));
    }

    /** Last at shutdown: rooms finishing their commands during the handover still write. */
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        transactions.close();
    }
}
