package dev.switchboard.contracts.messaging;

import java.util.List;

/** The Kafka topics of Switchboard, all keyed as noted, with how each is kept. */
public final class Topics {

    /** Gateway to room-service: client requests. Key: room id. */
    public static final String ROOM_COMMANDS = "room-commands";
    /** Room-service to gateway: replies and per-connection notifications. Key: gateway id. */
    public static final String ROOM_REPLIES = "room-replies";
    /** Latest RoomStatus of each room, the PubSub gateways fan out. Key: room id; compacted. */
    public static final String ROOM_STATUS = "room-status";
    /** The call record stream as CloudEvents (contract). Key: room id. */
    public static final String ROOM_EVENTS = "room-events";
    /** Room-service's private backup of every room. Key: room id; compacted. */
    public static final String ROOM_STATE = "room-state";

    /**
     * Partitions of the topics the services create ({@code switchboard.kafka.partitions}). Those of room-commands
     * and room-state are room-service's unit of ownership, so they bound its instances, and growing them takes a
     * migration (docs/operations.md): 32 lets a fleet of eight grow fourfold first. An idle partition costs the
     * brokers a few files and little memory; a room-service transaction writes a marker to each partition its
     * rooms are on, so a count far beyond the fleet's needs would only add to every commit.
     */
    public static final int DEFAULT_PARTITIONS = 32;

    /**
     * How a topic is created when it does not exist yet.
     *
     * @param ownership its partitions are room-service's unit of ownership: room-commands and room-state must both
     *                  have exactly the configured count, or rooms are looked for on partitions that do not hold
     *                  them. The others may have any count: they are read whole, or by a key whose partition each
     *                  reader works out from the topic itself.
     */
    public record TopicSpec(String name, boolean compacted, boolean ownership) {
    }

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(ROOM_COMMANDS, false, true),
            new TopicSpec(ROOM_REPLIES, false, false),
            new TopicSpec(ROOM_STATUS, true, false),
            new TopicSpec(ROOM_EVENTS, false, false),
            new TopicSpec(ROOM_STATE, true, true));

    private Topics() {
    }
}
