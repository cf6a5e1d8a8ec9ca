package dev.switchboard.gateway.config;

import dev.switchboard.contracts.messaging.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The gateway's own settings, under {@code switchboard.}. */
@ConfigMapping(prefix = "switchboard")
public interface SwitchboardConfig {

    Gateway gateway();

    Kafka kafka();

    Jwt jwt();

    DevTokens devTokens();

    interface Gateway {

        /** This instance's id on {@code room-replies}; a random UUID per start when absent. */
        Optional<String> id();

        /** How long a request waits for room-service before it fails with 5004. */
        @WithDefault("10s")
        Duration requestTimeout();

        /**
         * The largest message a client may send; a larger one closes its socket with 1009. At most the
         * transport's cap, {@code quarkus.websockets-next.server.max-message-size}.
         */
        @WithDefault("131072")
        int maxMessageBytes();

        /** Frames sent to a client that the socket has not written yet; past this the client is too slow and is closed. */
        @WithDefault("1000")
        int outboundQueueLimit();

        /** A socket that sends nothing (not even a pong) for this long is closed. */
        @WithDefault("60s")
        Duration idleTimeout();

        RateLimit rateLimit();
    }

    /** A token bucket per connection: {@code requests-per-second} sustained, {@code burst} at once. */
    interface RateLimit {

        @WithDefault("50")
        int requestsPerSecond();

        @WithDefault("100")
        int burst();
    }

    interface Kafka {

        /**
         * Partitions of topics this gateway creates when they do not exist yet, and those room-commands and
         * room-state must have (checked at startup); the same on every service.
         */
        @WithDefault("" + Topics.DEFAULT_PARTITIONS)
        int partitions();

        @WithDefault("1")
        short replicationFactor();
    }

    /** How client JWTs are verified: an HS256 secret or an RS256 public key (PEM). */
    interface Jwt {

        Optional<String> secret();

        Optional<String> publicKey();
    }

    interface DevTokens {

        /** Serve {@code GET /dev/token}; never in production. */
        @WithDefault("false")
        boolean enabled();
    }
}
