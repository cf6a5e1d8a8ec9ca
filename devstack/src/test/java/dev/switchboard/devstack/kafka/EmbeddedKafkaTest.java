package dev.switchboard.devstack.kafka;

import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
    }

    @AfterAll
    static void closeBroker() {
        kafka.close();
        assertThat(kafka.dataDir()).doesNotExist();
    }

    @Test
    void producedRecordsAreConsumed() throws Exception {
        produce("round-trip", "room-1", "hello", "world");

        assertThat(consume("round-trip", "round-trip-group", 2)).containsExactly("hello", "world");
    }

    @Test
    void aRestartKeepsPortRecordsAndCommittedOffsets() throws Exception {
        produce("durable", "room-1", "before-1", "before-2");
        assertThat(consume("durable", "durable-group", 2)).containsExactly("before-1", "before-2");
        int port = kafka.port();

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.restart();

        assertThat(kafka.port()).isEqualTo(port);
        produce("durable", "room-1", "after");
        // The group resumes after its committed offset; a fresh group still finds every record.
        assertThat(consume("durable", "durable-group", 1)).containsExactly("after");
        assertThat(consume("durable", "another-group", 3)).containsExactly("before-1", "before-2", "after");
    }

    @Test
    void createsCompactedTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("compacted", 8, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();

            // A new topic reaches the broker's metadata cache a moment after its creation is acknowledged.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                assertThat(cleanupPolicy(admin, "compacted")).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
                assertThat(describe(admin, "compacted").partitions()).hasSize(8);
            });
        }
    }

    @Test
    void createsSwitchboardTopicsAsTheLauncherDoes() throws Exception {
        TopicCreator.ensureTopics(kafka.bootstrapServers(), Topics.DEFAULT_PARTITIONS, (short) 1);

        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                for (Topics.TopicSpec spec : Topics.ALL) {
                    assertThat(describe(admin, spec.name()).partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
                    assertThat(cleanupPolicy(admin, spec.name())).isEqualTo(spec.compacted()
                            ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
                }
            });
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static TopicDescription describe(Admin admin, String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
    }

    private static String cleanupPolicy(Admin admin, String topic) throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
        return config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }

    private static void produce(String topic, String key, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, key, value)).get();
            }
        }
    }

    /** Reads {@code count} records as {@code group} and commits them. */
    private static List<String> consume(String topic, String group, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= count;
            });
            consumer.commitSync();
        }
        return values;
    }
}
