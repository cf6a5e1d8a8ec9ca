package dev.switchboard.room.messaging;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.room.RoomOutput;
import dev.switchboard.room.room.RoomOutput.StatusUpdate;
import dev.switchboard.room.room.RoomState;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link RoomOutput} on Kafka: every write waits for the broker's acknowledgement from all replicas. */
@ApplicationScoped
public class KafkaRoomOutput implements RoomOutput {

    private static final Logger LOG = Logger.getLogger(KafkaRoomOutput.class);
    private static final long ACK_TIMEOUT_SECONDS = 15;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaRoomOutput(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(ACK_TIMEOUT_SECONDS),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.CLIENT_ID_CONFIG, "room-service"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void backup(String roomId, RoomState state) {
        await(List.of(send(Topics.ROOM_STATE, roomId, state)));
    }

    @Override
    public void publish(String roomId, List<RoomEvent> events, StatusUpdate status, List<GatewayMessage> messages) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        events.forEach(event -> sends.add(send(Topics.ROOM_EVENTS, roomId, event)));
        switch (status) {
            case StatusUpdate.Current current -> sends.add(send(Topics.ROOM_STATUS, roomId, current.status()));
            case StatusUpdate.Gone gone -> sends.add(send(Topics.ROOM_STATUS, roomId, null));
            case StatusUpdate.Unchanged unchanged -> {
            }
        }
        messages.forEach(message -> sends.add(send(Topics.ROOM_REPLIES, message.gatewayId(), message)));
        await(sends);
    }

    @Override
    public void relay(String roomId, GatewayMessage message) {
        producer.send(new ProducerRecord<>(Topics.ROOM_REPLIES, message.gatewayId(), Json.writeBytes(message)),
                (written, failure) -> {
                    if (failure != null) {
                        LOG.warnf("room %s could not relay %s to connection %s: %s", roomId,
                                message.body(), message.connectionId(), failure.getMessage());
                    }
                });
    }

    private Future<RecordMetadata> send(String topic, String key, Object value) {
        return producer.send(new ProducerRecord<>(topic, key, value == null ? null : Json.writeBytes(value)));
    }

    private static void await(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a room's output: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge a room's output in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Last at shutdown: rooms finishing their commands during the handover still write. */
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        producer.close();
    }
}
