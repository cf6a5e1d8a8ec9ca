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

    public static final int DEFAULT_PARTITIONS = 8;

    /** How a topic is created when it does not exist yet. */
    public record TopicSpec(String name, boolean compacted) {
    }

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(ROOM_COMMANDS, false),
            new TopicSpec(ROOM_REPLIES, false),
            new TopicSpec(ROOM_STATUS, true),
            new TopicSpec(ROOM_EVENTS, false),
            new TopicSpec(ROOM_STATE, true));

    private Topics() {
    }
}
