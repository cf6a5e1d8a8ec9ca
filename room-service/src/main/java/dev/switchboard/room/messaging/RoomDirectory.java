package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.TopicTail;
import dev.switchboard.room.config.RoomServiceConfig;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.RoomStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live room of the cluster, whichever instance owns it, as the compacted {@code room-status}
 * topic tells: what the admin API lists.
 */
@ApplicationScoped
public class RoomDirectory {

    private final Map<String, RoomStatus> rooms = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private final RoomServiceConfig.Kafka kafka;
    private volatile TopicTail tail;
    private volatile boolean stopping;

    public RoomDirectory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         RoomServiceConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.kafka = config.kafka();
    }

    void onStart(@Observes StartupEvent event) {
        Thread.ofVirtual().name("room-directory").start(this::follow);
    }

    /** Following a topic that does not exist yet would follow no partition at all: the topics come first. */
    private void follow() {
        StartupTopics.await(bootstrapServers, kafka, () -> stopping, () -> tail = new TopicTail(
                () -> new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                        new StringDeserializer(), new ByteArrayDeserializer()), Topics.ROOM_STATUS,
                TopicTail.From.BEGINNING, partitions -> partitions.stream().map(PartitionInfo::partition).toList(),
                this::onStatus));
    }

    private void onStatus(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            rooms.remove(record.key());
        } else {
            // One partition per room, read in order: the latest record is the room's status.
            rooms.put(record.key(), Json.read(record.value(), RoomStatus.class));
        }
    }

    public List<RoomStatus> rooms() {
        return rooms.values().stream().sorted(Comparator.comparing(RoomStatus::roomId)).toList();
    }

    public Optional<RoomStatus> room(String roomId) {
        return Optional.ofNullable(rooms.get(roomId));
    }

    /** How the tail of room-status fares, for the liveness check. */
    public TopicTail.Health health() {
        TopicTail current = tail;
        return current == null ? TopicTail.Health.NOT_STARTED : current.health();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        TopicTail current = tail;
        if (current != null) {
            current.close();
        }
    }
}
