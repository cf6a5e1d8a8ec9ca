package dev.switchboard.history.messaging;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.PartitionCountMismatchException;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.history.call.CallHistoryService;
import dev.switchboard.history.call.UnreadableRecord;
import dev.switchboard.history.config.HistoryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads room-events and hands each poll to the history as one database transaction. Offsets are committed
 * only after that transaction has committed, so a crash or an outage loses nothing; what is delivered
 * again is dropped by event id. A batch the database refuses is read again from its first offset after
 * a growing pause, until the database takes it.
 */
@ApplicationScoped
public class RoomEventConsumer {

    private static final Logger LOG = Logger.getLogger(RoomEventConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, Object> kafkaConfig;
    private final HistoryConfig config;
    private final CallHistoryService history;
    private final MeterRegistry registry;
    private final Counter retries;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter unreadable;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;

    public RoomEventConsumer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                             HistoryConfig config, CallHistoryService history, MeterRegistry registry) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
        this.history = history;
        this.registry = registry;
        this.retries = registry.counter("switchboard.history.batch.retries");
        this.applied = registry.counter("switchboard.history.events", "outcome", "applied");
        this.duplicates = registry.counter("switchboard.history.events", "outcome", "duplicate");
        this.unreadable = registry.counter("switchboard.history.events", "outcome", "unreadable");
    }

    void start(@Observes StartupEvent event) {
        if (kafkaConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalStateException("set kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS)");
        }
        thread = Thread.ofPlatform().name("room-events-consumer").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopping.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(Duration.ofSeconds(30));
        }
    }

    /** True while the consumer loop runs: it only ends when the service stops. */
    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    private void run() {
        if (!topicsReady()) {
            return;
        }
        Duration backoff = config.history().retryBackoff();
        while (!stopped()) {
            try {
                consume();
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                LOG.errorf(e, "consuming %s failed; starting over in %s", Topics.ROOM_EVENTS, backoff);
                pause(backoff);
                backoff = longer(backoff);
            }
        }
    }

    /** Waits for Kafka and the topics; a partition count other than the configured one stops the service. */
    private boolean topicsReady() {
        try {
            return TopicCreator.awaitTopics(String.valueOf(kafkaConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)),
                    config.kafka().partitions(), config.kafka().replicationFactor(), this::stopped, () -> { });
        } catch (PartitionCountMismatchException e) {
            LOG.errorf("history-service does not start: %s", e.getMessage());
            Quarkus.asyncExit(1);
            return false;
        }
    }

    private void consume() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig());
             // the consumer's own metrics, among them records-lag-max: how far the history is behind
             KafkaClientMetrics metrics = new KafkaClientMetrics(kafka)) {
            metrics.bindTo(registry);
            consumer = kafka;
            kafka.subscribe(List.of(Topics.ROOM_EVENTS));
            Duration backoff = config.history().retryBackoff();
            while (!stopped()) {
                ConsumerRecords<String, byte[]> records = kafka.poll(POLL_TIMEOUT);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    applyBatch(records);
                    backoff = config.history().retryBackoff();
                } catch (RuntimeException e) {
                    LOG.warnf("%d room events not applied (%s); reading them again in %s",
                            records.count(), rootCause(e), backoff);
                    retries.increment();
                    rewind(kafka, records);
                    pause(backoff);
                    backoff = longer(backoff);
                    continue;
                }
                commit(kafka, records);
            }
        } finally {
            consumer = null;
        }
    }

    /**
     * Applies the batch in one transaction. If the database refuses it for something other than being away,
     * one of the records is at fault: each is then applied on its own, and one the database refuses is set
     * aside in unreadable_records, so that it cannot hold its partition up for ever.
     */
    private void applyBatch(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        try {
            apply(all);
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            LOG.errorf("a batch of %d room events was refused (%s); applying them one by one",
                    all.size(), rootCause(e));
            all.forEach(this::applyAlone);
        }
    }

    private void applyAlone(ConsumerRecord<String, byte[]> record) {
        try {
            apply(List.of(record));
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            count(history.apply(List.of(), List.of(setAside(record, "refused by the database: " + rootCause(e)))));
        }
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        List<RoomEvent> events = new ArrayList<>(records.size());
        List<UnreadableRecord> unreadableRecords = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(read(record));
            } catch (RuntimeException e) {
                unreadableRecords.add(setAside(record, String.valueOf(e.getMessage())));
            }
        }
        count(history.apply(events, unreadableRecords));
    }

    /** Counted once the transaction has committed, so that a retried batch is not counted twice. */
    private void count(CallHistoryService.Applied outcome) {
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        unreadable.increment(outcome.unreadable());
    }

    private static UnreadableRecord setAside(ConsumerRecord<String, byte[]> record, String error) {
        LOG.errorf("%s-%d@%d (room %s) is set aside in unreadable_records: %s",
                record.topic(), record.partition(), record.offset(), record.key(), error);
        return new UnreadableRecord(record.topic(), record.partition(), record.offset(), Failures.text(record.key()),
                record.value() == null ? null : Failures.text(new String(record.value(), StandardCharsets.UTF_8)),
                Failures.text(error));
    }

    private static RoomEvent read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        RoomEvent event = Json.read(record.value(), RoomEvent.class);
        if (event.data() == null) {
            throw new IllegalArgumentException("the event has no data, or is of a type this history-service (format "
                    + FormatVersion.CURRENT + ") does not know; it was written in format " + event.formatversion());
        }
        if (event.id() == null || event.callid() == null || event.subject() == null || event.time() == null) {
            throw new IllegalArgumentException("id, subject, callid and time are required");
        }
        return event;
    }

    /** Moves each partition back to the batch's first record, so that the next poll returns the batch again. */
    private static void rewind(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            kafka.seek(partition, records.records(partition).getFirst().offset());
        }
    }

    private static void commit(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            offsets.put(partition, new OffsetAndMetadata(records.records(partition).getLast().offset() + 1));
        }
        try {
            kafka.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the history holds the batch: a later commit covers it, or whoever reads it again drops it by id
            LOG.warnf("offsets %s not committed (%s); the events are applied already", offsets, e.getMessage());
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> settings = new HashMap<>(kafkaConfig);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.history().groupId());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new group builds the history from the first event on
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.history().maxBatch());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return settings;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = Failures.rootCause(e);
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private Duration longer(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(config.history().maxRetryBackoff()) > 0 ? config.history().maxRetryBackoff() : doubled;
    }
}
