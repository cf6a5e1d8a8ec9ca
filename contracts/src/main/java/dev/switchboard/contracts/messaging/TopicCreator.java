package dev.switchboard.contracts.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Creates Switchboard's topics where they do not exist yet, so that every service can start first, and checks
 * that the ones room-service owns rooms by have the configured partition count.
 * Compacted topics must be created as such: a broker's auto-created topic would delete old states.
 */
public final class TopicCreator {

    private static final System.Logger LOG = System.getLogger(TopicCreator.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private TopicCreator() {
    }

    /**
     * Ensures the topics as {@link #ensureTopics} does, then runs {@code start} (what the caller does once they
     * exist, such as following them), retrying both with a growing pause while they fail: Kafka unreachable, a
     * cluster still forming. Every service starts this way.
     *
     * @param stopped asked before each attempt: true gives up
     * @return true once both succeeded, false when stopped first
     * @throws PartitionCountMismatchException at once, never retried: the service must not start
     */
    public static boolean awaitTopics(String bootstrapServers, int partitions, short replicationFactor,
                                      BooleanSupplier stopped, Runnable start) {
        Duration pause = FIRST_RETRY;
        while (!stopped.getAsBoolean()) {
            try {
                ensureTopics(bootstrapServers, partitions, replicationFactor);
                start.run();
                return true;
            } catch (PartitionCountMismatchException e) {
                throw e;
            } catch (RuntimeException e) {
                Duration wait = pause;
                LOG.log(System.Logger.Level.WARNING, () -> "Kafka at %s is not usable yet (%s); retrying in %s"
                        .formatted(bootstrapServers, e.getMessage(), wait));
                LockSupport.parkNanos(wait.toNanos());
                Duration doubled = pause.multipliedBy(2);
                pause = doubled.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : doubled;
            }
        }
        return false;
    }

    /**
     * One attempt: creates the topics that are missing and checks the partition count of those room-service owns
     * rooms by ({@link Topics.TopicSpec#ownership}).
     *
     * @throws PartitionCountMismatchException when one of those exists with another count
     */
    public static void ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        List<NewTopic> topics = Topics.ALL.stream()
                .map(spec -> new NewTopic(spec.name(), Optional.of(partitions), Optional.of(replicationFactor))
                        .configs(spec.compacted()
                                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                                : Map.of()))
                .toList();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.SECONDS.toMillis(KafkaFutures.TIMEOUT_SECONDS)))) {
            Map<String, KafkaFuture<Void>> creations = admin.createTopics(topics).values();
            // Every creation is awaited. A topic this call created has the configured count; one already there is checked.
            List<String> existing = Topics.ALL.stream()
                    .filter(spec -> !created(creations.get(spec.name())))
                    .filter(Topics.TopicSpec::ownership)
                    .map(Topics.TopicSpec::name)
                    .toList();
            if (!existing.isEmpty()) {
                Map<String, TopicDescription> described = KafkaFutures.await(admin.describeTopics(existing).allTopicNames(),
                        "describe the Switchboard topics");
                for (String name : existing) {
                    int count = described.get(name).partitions().size();
                    if (count != partitions) {
                        throw new PartitionCountMismatchException(name, count, partitions);
                    }
                }
            }
        }
    }

    /** True when this call created the topic, false when it existed already. */
    private static boolean created(KafkaFuture<Void> creation) {
        try {
            KafkaFutures.await(creation, "create a Switchboard topic");
            return true;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }
}
