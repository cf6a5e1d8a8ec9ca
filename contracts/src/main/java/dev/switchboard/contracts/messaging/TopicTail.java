package dev.switchboard.contracts.messaging;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows chosen partitions of one topic on a thread of its own, without a consumer group or commits:
 * for readers that hold no state worth resuming (a gateway's replies and status) or that rebuild all of
 * it at each start (a directory of every room from the compacted status topic).
 */
public final class TopicTail implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicTail.class.getName());

    /** Where reading starts in each partition. */
    public enum From {
        /** Only what is written after the tail starts. */
        END,
        /** Everything the partition still holds. */
        BEGINNING
    }
    private static final Duration POLL = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Thread thread;

    /**
     * Assigns the partitions {@code choose} picks out of the topic's and positions them before returning,
     * so that nothing written after this returns is missed.
     */
    public TopicTail(KafkaConsumer<String, byte[]> consumer, String topic, From from,
                     Function<List<PartitionInfo>, List<Integer>> choose,
                     Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        try {
            List<TopicPartition> partitions = choose.apply(consumer.partitionsFor(topic)).stream()
                    .map(partition -> new TopicPartition(topic, partition))
                    .toList();
            consumer.assign(partitions);
            if (from == From.END) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        this.thread = Thread.ofPlatform().name(topic + "-tail").daemon().start(this::run);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, () -> "cannot handle %s record at offset %d of partition %d (key %s)"
                                .formatted(topic, record.offset(), record.partition(), record.key()), e);
                    }
                }
            }
        } catch (WakeupException closing) {
            LOG.log(System.Logger.Level.DEBUG, () -> topic + " tail stops");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, () -> topic + " tail stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    public boolean running() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
