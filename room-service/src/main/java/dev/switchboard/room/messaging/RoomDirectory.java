package dev.switchboard.room.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.TopicCreator;
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
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Every live room of the cluster, whichever instance owns it, as the compacted {@code room-status}
 * topic tells: what the admin API lists.
 */
@ApplicationScoped
public class RoomDirectory {

    private static final Logger LOG = Logger.getLogger(RoomDirectory.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Map<String, RoomStatus> rooms = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private final int partitions;
    private final short replicationFactor;
    private volatile TopicTail tail;

    public RoomDirectory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                         RoomServiceConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = config.kafka().partitions();
        this.replicationFactor = config.kafka().replicationFactor();
    }

    void onStart(@Observes StartupEvent event) {
        Thread.ofVirtual().name("room-directory").start(this::follow);
    }

    private void follow() {
        while (tail == null) {
            try {
                // Following a topic that does not exist yet would follow no partition at all.
                TopicCreator.ensureTopics(bootstrapServers, partitions, replicationFactor);
                tail = new TopicTail(() -> new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                        new StringDeserializer(), new ByteArrayDeserializer()), Topics.ROOM_STATUS,
                        TopicTail.From.BEGINNING, partitions -> partitions.stream().map(PartitionInfo::partition).toList(),
                        this::onStatus);
            } catch (RuntimeException e) {
                LOG.warnf("cannot follow room-status yet (%s); retrying", e.getMessage());
                LockSupport.parkNanos(RETRY.toNanos());
            }
        }
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
        TopicTail current = tail;
        if (current != null) {
            current.close();
        }
    }
}
