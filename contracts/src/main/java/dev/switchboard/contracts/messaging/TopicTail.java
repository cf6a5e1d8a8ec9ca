package dev.switchboard.contracts.messaging;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Follows chosen partitions of one topic on a thread of its own, without a consumer group or commits:
 * for readers that hold no state worth resuming (a gateway's replies and status) or that rebuild all of
 * it at each start (a directory of every room from the compacted status topic).
 *
 * <p>It cannot die quietly. A record its handler fails on, or that cannot be read, is set aside (logged and
 * counted) and the tail goes on. Any other failure restarts it with backoff on a new consumer, positioned
 * just after the last record it handled in each partition: whether it started from the end or the beginning,
 * a restart neither misses what was written meanwhile (a gateway's replies) nor hands its reader what it
 * already has (a directory built from the beginning). {@link #health()} says whether it still runs.
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

    /**
     * What a liveness check says of a tail.
     *
     * @param alive    its thread runs, and it has not failed several times in a row without reading in
     *                 between: past that, restarting the tail does not help, restarting the process may
     * @param restarts how often it restarted after a failure
     * @param setAside records it skipped because they could not be read or handled
     */
    public record Health(boolean alive, long restarts, long setAside) {
        /** A tail its owner has not managed to start yet, and still tries to: no reason to restart the process. */
        public static final Health NOT_STARTED = new Health(true, 0, 0);
    }

    static final int FAILURES_BEFORE_DEAD = 5;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Supplier<KafkaConsumer<String, byte[]>> consumers;
    private final String topic;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final List<TopicPartition> partitions;
    /** Where each partition resumes after a restart; the tail's thread alone touches it once started. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong setAside = new AtomicLong();
    private volatile int failuresInARow;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    /**
     * Assigns the partitions {@code choose} picks out of the topic's and positions them before returning,
     * so that nothing written after this returns is missed.
     *
     * @param consumers makes the consumer, and a new one at each restart
     */
    public TopicTail(Supplier<KafkaConsumer<String, byte[]>> consumers, String topic, From from,
                     Function<List<PartitionInfo>, List<Integer>> choose,
                     Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.consumers = consumers;
        this.topic = topic;
        this.handler = handler;
        KafkaConsumer<String, byte[]> first = consumers.get();
        try {
            partitions = choose.apply(first.partitionsFor(topic)).stream()
                    .map(partition -> new TopicPartition(topic, partition))
                    .toList();
            first.assign(partitions);
            if (from == From.END) {
                first.seekToEnd(partitions);
            } else {
                first.seekToBeginning(partitions);
            }
            partitions.forEach(partition -> resumeAt.put(partition, first.position(partition)));
        } catch (RuntimeException e) {
            first.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
        consumer = first;
        this.thread = Thread.ofPlatform().name(topic + "-tail").daemon().start(this::run);
    }

    private void run() {
        try {
            while (closing.getCount() > 0) {
                try {
                    if (consumer == null) {
                        consumer = reopen();
                    }
                    try {
                        var records = consumer.poll(POLL);
                        failuresInARow = 0;
                        records.forEach(this::handle);
                    } catch (RecordDeserializationException unreadable) {
                        setAside(unreadable.topicPartition(), unreadable.offset(), unreadable);
                        consumer.seek(unreadable.topicPartition(), unreadable.offset() + 1);
                    }
                } catch (RuntimeException e) {
                    if (closing.getCount() == 0) {
                        return;
                    }
                    restartAfter(e);
                }
            }
        } catch (Error e) {
            LOG.log(System.Logger.Level.ERROR, () -> topic + " tail stops for good", e);
            throw e;
        } finally {
            closeConsumer(Duration.ofSeconds(5));
            LOG.log(System.Logger.Level.DEBUG, () -> topic + " tail stopped");
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            handler.accept(record);
            resumeAt.put(partition, record.offset() + 1);
        } catch (RuntimeException e) {
            setAside(partition, record.offset(), e);
        }
    }

    /** Skips a record for good: logged with where it is, counted, and never read again by this tail. */
    private void setAside(TopicPartition partition, long offset, RuntimeException why) {
        long count = setAside.incrementAndGet();
        resumeAt.put(partition, offset + 1);
        LOG.log(System.Logger.Level.ERROR, () -> "cannot handle %s record at offset %d of partition %d: set aside (%d)"
                .formatted(topic, offset, partition.partition(), count), why);
    }

    /** Drops the consumer, which may be what broke, and waits before the next one; closing cuts the wait short. */
    private void restartAfter(RuntimeException failure) {
        long count = restarts.incrementAndGet();
        int inARow = ++failuresInARow;
        Duration wait = BACKOFF.after(inARow - 1);
        LOG.log(System.Logger.Level.WARNING, () -> "%s tail failed (%d in a row); restart %d in %d ms"
                .formatted(topic, inARow, count, wait.toMillis()), failure);
        closeConsumer(Duration.ZERO);
        try {
            closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    private KafkaConsumer<String, byte[]> reopen() {
        KafkaConsumer<String, byte[]> next = consumers.get();
        try {
            next.assign(partitions);
            resumeAt.forEach(next::seek);
            return next;
        } catch (RuntimeException e) {
            next.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    private void closeConsumer(Duration timeout) {
        KafkaConsumer<String, byte[]> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> topic + " tail could not close its consumer", e);
            }
        }
    }

    public Health health() {
        return new Health(thread.isAlive() && failuresInARow < FAILURES_BEFORE_DEAD, restarts.get(), setAside.get());
    }

    @Override
    public void close() {
        closing.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
