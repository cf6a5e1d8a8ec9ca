package dev.switchboard.devstack.kafka;

import dev.switchboard.contracts.messaging.TopicTail;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** contracts' {@link TopicTail} on a real broker (which lives here): bad records set aside, restarts after failures. */
class TopicTailTest {

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, String> producer;

    private final String topic = "tail-" + UUID.randomUUID();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    /** Polls still to fail, shared by every consumer a test's tail makes. */
    private final AtomicInteger failingPolls = new AtomicInteger();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void closeBroker() {
        producer.close();
        kafka.close();
    }

    @BeforeEach
    void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            // A new topic reaches the broker's metadata a moment after its creation is acknowledged.
            await().ignoreExceptions().until(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get()
                    .get(topic).partitions().size() == 1);
        }
    }

    @Test
    void recordsThatCannotBeReadOrHandledAreSetAsideAndTheTailGoesOn() {
        try (TopicTail tail = tail(FailingConsumer::new, TopicTail.From.END)) {
            produce("first", "bad", "unreadable", "second");

            await().untilAsserted(() -> assertThat(handled).containsExactly("first", "second"));
            assertThat(tail.health()).isEqualTo(new TopicTail.Health(true, 0, 2));
        }
    }

    @Test
    void aTailWhosePollFailedRestartsWhereItWasAndMissesNothingWrittenMeanwhile() {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch reopen = new CountDownLatch(1);
        Supplier<KafkaConsumer<String, byte[]>> heldBack = () -> {
            if (made.getAndIncrement() > 0) {
                await().until(() -> reopen.getCount() == 0);
            }
            return new FailingConsumer();
        };
        try (TopicTail tail = tail(heldBack, TopicTail.From.END)) {
            produce("before");
            await().untilAsserted(() -> assertThat(handled).containsExactly("before"));

            failingPolls.set(1);
            await().until(() -> tail.health().restarts() == 1);
            // Written while the tail has no consumer: a tail that read from the end again would never see them.
            produce("meanwhile-1", "meanwhile-2");
            reopen.countDown();

            await().untilAsserted(() -> assertThat(handled).containsExactly("before", "meanwhile-1", "meanwhile-2"));
            assertThat(tail.health()).isEqualTo(new TopicTail.Health(true, 1, 0));
        }
    }

    @Test
    void aTailFromTheBeginningResumesAfterARestartWithoutHandingOutWhatItHadAgain() {
        produce("old");
        try (TopicTail tail = tail(FailingConsumer::new, TopicTail.From.BEGINNING)) {
            await().untilAsserted(() -> assertThat(handled).containsExactly("old"));

            failingPolls.set(1);
            await().until(() -> tail.health().restarts() == 1);
            produce("new");

            await().untilAsserted(() -> assertThat(handled).containsExactly("old", "new"));
        }
    }

    @Test
    void aTailThatKeepsFailingIsNotAliveUntilItReadsAgain() {
        try (TopicTail tail = tail(FailingConsumer::new, TopicTail.From.END)) {
            failingPolls.set(Integer.MAX_VALUE);
            await().atMost(Duration.ofSeconds(30)).until(() -> !tail.health().alive());
            assertThat(tail.health().restarts()).isGreaterThan(1);

            failingPolls.set(0);
            produce("after");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(handled).containsExactly("after");
                assertThat(tail.health().alive()).isTrue();
            });
        }
    }

    private TopicTail tail(Supplier<KafkaConsumer<String, byte[]>> consumers, TopicTail.From from) {
        return new TopicTail(consumers, topic, from, all -> all.stream().map(PartitionInfo::partition).toList(),
                this::handle);
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        if (value.equals("bad")) {
            throw new IllegalArgumentException("a record its reader cannot make sense of");
        }
        handled.add(value);
    }

    private void produce(String... values) {
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, "room-1", value));
        }
        producer.flush();
    }

    /** A real consumer whose polls fail while {@link #failingPolls} counts down, and that cannot read "unreadable". */
    private final class FailingConsumer extends KafkaConsumer<String, byte[]> {

        FailingConsumer() {
            super(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                    unreadable());
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            if (failingPolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new KafkaException("injected poll failure");
            }
            return super.poll(timeout);
        }

        private static Deserializer<byte[]> unreadable() {
            return (topic, data) -> {
                if ("unreadable".equals(new String(data, StandardCharsets.UTF_8))) {
                    throw new SerializationException("not a record of this topic");
                }
                return data;
            };
        }
    }
}
