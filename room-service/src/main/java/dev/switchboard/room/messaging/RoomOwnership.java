package dev.switchboard.room.messaging;

import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.room.config.RoomServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which partitions of {@code room-commands}, and so which rooms, this instance owns, how far their commands
 * are handled, and the group membership that proves the ownership: what every transaction carries so that
 * Kafka refuses the writes of an instance that lost its partitions without knowing it yet.
 */
@ApplicationScoped
public class RoomOwnership {

    private final int partitions;
    private final Map<Integer, OffsetTracker> owned = new ConcurrentHashMap<>();
    private volatile ConsumerGroupMetadata group;

    public RoomOwnership(RoomServiceConfig config) {
        this.partitions = config.kafka().partitions();
    }

    /** The partition is this instance's from {@code position} on (the first command not handled yet). */
    void taken(int partition, long position) {
        owned.put(partition, new OffsetTracker(position));
    }

    void released(Collection<Integer> partitions) {
        partitions.forEach(owned::remove);
    }

    Set<Integer> partitions() {
        return owned.keySet();
    }

    boolean owns(String roomId) {
        return owned.containsKey(Partitions.of(roomId, partitions));
    }

    Optional<OffsetTracker> tracker(int partition) {
        return Optional.ofNullable(owned.get(partition));
    }

    /** The offsets of every owned partition: with them, a transaction commits only as a member of the group. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return owned.entrySet().stream().collect(Collectors.toMap(
                e -> new TopicPartition(Topics.ROOM_COMMANDS, e.getKey()),
                e -> new OffsetAndMetadata(e.getValue().committable())));
    }

    /** Set by the polling thread, the only one that may ask the consumer. */
    void group(ConsumerGroupMetadata group) {
        this.group = group;
    }

    ConsumerGroupMetadata group() {
        return group;
    }
}
