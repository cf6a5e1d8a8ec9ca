package dev.switchboard.room.messaging;

import dev.switchboard.contracts.messaging.PartitionCountMismatchException;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.room.config.RoomServiceConfig;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.util.function.BooleanSupplier;

/**
 * How room-service waits for its topics at startup, as {@link TopicCreator#awaitTopics}: while Kafka is away it
 * retries; topics whose partition count is not the configured one stop the service, which would otherwise look
 * for rooms on partitions that do not hold them.
 */
final class StartupTopics {

    private static final Logger LOG = Logger.getLogger(StartupTopics.class);

    private StartupTopics() {
    }

    /** @return true once the topics are there and {@code start} ran; false when stopped first or refused */
    static boolean await(String bootstrapServers, RoomServiceConfig.Kafka kafka, BooleanSupplier stopped, Runnable start) {
        try {
            return TopicCreator.awaitTopics(bootstrapServers, kafka.partitions(), kafka.replicationFactor(), stopped, start);
        } catch (PartitionCountMismatchException e) {
            LOG.errorf("room-service does not start: %s", e.getMessage());
            Quarkus.asyncExit(1);
            return false;
        }
    }
}
