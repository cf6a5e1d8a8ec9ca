package dev.switchboard.devstack.kafka;

import dev.switchboard.contracts.messaging.PartitionCountMismatchException;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The startup check of the topics every service runs, against a real broker: a fresh one per test. */
class TopicCreatorTest {

    private static final short ONE = 1;

    private EmbeddedKafka kafka;

    @BeforeEach
    void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
    }

    @AfterEach
    void closeBroker() {
        kafka.close();
    }

    @Test
    void topicsOfTheConfiguredCountPassAndOthersMayHaveAnyCount() {
        create(Topics.ROOM_EVENTS, 3);

        TopicCreator.ensureTopics(kafka.bootstrapServers(), 8, ONE);
        TopicCreator.ensureTopics(kafka.bootstrapServers(), 8, ONE);
    }

    @Test
    void anOwnershipTopicOfAnotherCountIsRefusedNamingItAndBothCounts() {
        create(Topics.ROOM_STATE, 4);

        assertThatThrownBy(() -> TopicCreator.ensureTopics(kafka.bootstrapServers(), 8, ONE))
                .isInstanceOfSatisfying(PartitionCountMismatchException.class, e -> {
                    assertThat(e.topic()).isEqualTo(Topics.ROOM_STATE);
                    assertThat(e.partitions()).isEqualTo(4);
                    assertThat(e.configured()).isEqualTo(8);
                })
                .hasMessageContaining("room-state has 4 partitions")
                .hasMessageContaining("switchboard.kafka.partitions (SWITCHBOARD_KAFKA_PARTITIONS) is 8")
                .hasMessageContaining("partition migration");
    }

    @Test
    void aMismatchIsNotRetried() {
        create(Topics.ROOM_COMMANDS, 16);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger starts = new AtomicInteger();

        // A retry would ask a second time, be told to stop, and return instead of throwing.
        assertThatThrownBy(() -> TopicCreator.awaitTopics(kafka.bootstrapServers(), 8, ONE,
                () -> attempts.incrementAndGet() > 1, starts::incrementAndGet))
                .isInstanceOf(PartitionCountMismatchException.class)
                .hasMessageContaining("room-commands has 16 partitions");
        assertThat(attempts).hasValue(1);
        assertThat(starts).hasValue(0);
    }

    @Test
    void whatFailsOnceTheTopicsExistIsRetriedWithThem() {
        AtomicInteger starts = new AtomicInteger();

        boolean started = TopicCreator.awaitTopics(kafka.bootstrapServers(), 8, ONE, () -> false, () -> {
            if (starts.incrementAndGet() == 1) {
                throw new IllegalStateException("Kafka went away while the topics were being followed");
            }
        });

        assertThat(started).isTrue();
        assertThat(starts).hasValue(2);
    }

    @Test
    void aServiceStartedWhileKafkaIsAwayStartsWhenItIsBack() {
        kafka.stop();
        AtomicInteger starts = new AtomicInteger();

        CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> TopicCreator.awaitTopics(
                kafka.bootstrapServers(), 8, ONE, () -> false, starts::incrementAndGet));
        kafka.restart();

        await().atMost(Duration.ofSeconds(90)).until(started::isDone);
        assertThat(started.join()).isTrue();
        assertThat(starts).hasValue(1);
    }

    @Test
    void stoppingEndsTheWaitWithoutStarting() {
        kafka.stop();
        AtomicInteger starts = new AtomicInteger();

        assertThat(TopicCreator.awaitTopics(kafka.bootstrapServers(), 8, ONE, () -> true, starts::incrementAndGet)).isFalse();
        assertThat(starts).hasValue(0);
    }

    private void create(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, ONE))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
