package dev.switchboard.history.config;

import dev.switchboard.contracts.messaging.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "switchboard")
public interface HistoryConfig {

    Jwt jwt();

    Kafka kafka();

    History history();

    /** How tokens are verified: exactly one of the two keys. */
    interface Jwt {
        /** HS256 shared secret (env SWITCHBOARD_JWT_SECRET). */
        Optional<String> secret();

        /** RS256 public key, PEM or base64 DER (env SWITCHBOARD_JWT_PUBLIC_KEY). */
        Optional<String> publicKey();
    }

    interface Kafka {
        /**
         * Partitions of the Switchboard topics when this service is the first to create them, and those
         * room-commands and room-state must have (checked at startup); the same on every service.
         */
        @WithDefault("" + Topics.DEFAULT_PARTITIONS)
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface History {
        /** Consumer group of every history-service instance: the partitions are shared among them. */
        @WithDefault("history-service")
        String groupId();

        /** The most records applied in one database transaction. */
        @WithDefault("500")
        int maxBatch();

        /** The first wait after a failed batch; it doubles up to {@code max-retry-backoff}. */
        @WithDefault("PT0.5S")
        Duration retryBackoff();

        @WithDefault("PT10S")
        Duration maxRetryBackoff();
    }
}
