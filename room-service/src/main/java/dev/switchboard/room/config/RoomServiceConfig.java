package dev.switchboard.room.config;

import dev.switchboard.contracts.messaging.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** room-service settings, under {@code switchboard.*}. */
@ConfigMapping(prefix = "switchboard")
public interface RoomServiceConfig {

    Kms kms();

    Room room();

    Kafka kafka();

    Jwt jwt();

    /** How operators' tokens are verified: exactly one of the two keys. */
    interface Jwt {
        /** HS256 shared secret (env SWITCHBOARD_JWT_SECRET). */
        Optional<String> secret();

        /** RS256 public key in PEM (env SWITCHBOARD_JWT_PUBLIC_KEY). */
        Optional<String> publicKey();
    }

    interface Kms {
        /**
         * The media servers' JSON-RPC WebSockets, comma-separated, e.g.
         * {@code ws://kms-1:8888/kurento,ws://kms-2:8888/kurento}.
         */
        String url();

        /** How long a room waits for its unreachable media server before it moves to another. */
        @WithDefault("10s")
        Duration grace();
    }

    interface Room {
        /** How long a participant whose socket dropped keeps its place, waiting for a resume. */
        @WithDefault("20s")
        Duration reconnectGrace();

        /** How long an empty room keeps its pipeline for whoever joins next before it closes. */
        @WithDefault("30s")
        Duration emptyTimeout();

        /** Restart intensity, as OTP's: more restarts than this within the window close the room. */
        @WithDefault("3")
        int maxRestarts();

        @WithDefault("10s")
        Duration restartWindow();

        /**
         * Spare endpoints each room keeps created and listened to ahead of need, so negotiation waits for none.
         * Each costs the media server a creation it would otherwise not do: one is what a room of a few needs.
         */
        @WithDefault("1")
        int warmEndpoints();
    }

    interface Kafka {
        /**
         * Partitions of room-commands and room-state, which every instance checks at startup, and of the topics it
         * creates; the same on every service. Grown only by the partition migration (docs/operations.md).
         */
        @WithDefault("" + Topics.DEFAULT_PARTITIONS)
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** Consumer group of all room-service instances: Kafka gives each room to one of them. */
        @WithDefault("room-service")
        String groupId();

        /** How long Kafka waits for a silent instance before giving its rooms to another. */
        @WithDefault("6s")
        Duration sessionTimeout();

        /**
         * How long Kafka lets a transaction stay open before aborting it. An instance killed in the middle of one
         * holds up the takeover of its rooms until then (readers of committed records wait for it), so it is
         * short; it must still outlast the slowest commit of a healthy instance.
         */
        @WithDefault("2s")
        Duration transactionTimeout();
    }
}
