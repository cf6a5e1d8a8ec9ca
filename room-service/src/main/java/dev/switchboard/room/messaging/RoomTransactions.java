package dev.switchboard.room.messaging;

import dev.switchboard.contracts.messaging.Backoff;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Writes rooms' changes in Kafka transactions, as many rooms' changes in each as are waiting (a transaction costs
 * the same few round trips for one change as for hundreds). Every transaction commits the offsets of every owned
 * partition with the consumer group's membership (KIP-447), so the group coordinator refuses it, and with it every
 * record it carries, once those partitions have moved to another instance.
 */
final class RoomTransactions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RoomTransactions.class);
    private static final int MAX_BATCH = 512;
    /** Under the producer's and broker's default limit of 1 MiB a request, with room for the record's framing. */
    private static final int MAX_RECORD_BYTES = 1_000_000;
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    /** How long a write waits for a newer group membership after Kafka found its membership stale. */
    private static final Duration MEMBERSHIP_WAIT = Duration.ofSeconds(1);

    private final Supplier<Producer<String, byte[]>> producers;
    private final RoomOwnership ownership;
    private final Duration writeTimeout;
    private final Runnable refused;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Touched by the writing thread only. */
    private Producer<String, byte[]> producer;

    /** The room's write has been refused because its room belongs to another instance now. */
    static final class NotOwnerException extends IllegalStateException {
        NotOwnerException(String roomId) {
            super("room " + roomId + " belongs to another room-service instance now");
        }
    }

    private record Pending(String roomId, List<ProducerRecord<String, byte[]>> records, Runnable handled,
                           CompletableFuture<Void> written, long deadlineNanos) {
    }

    /** @param refused counts a write refused because its room has moved to another instance */
    RoomTransactions(Supplier<Producer<String, byte[]>> producers, RoomOwnership ownership, Duration writeTimeout,
                     Runnable refused) {
        this.producers = producers;
        this.ownership = ownership;
        this.writeTimeout = writeTimeout;
        this.refused = refused;
        this.thread = Thread.ofPlatform().name("room-transactions").start(this::run);
    }

    /**
     * Queues a room's records for the next transaction; the future completes once they are committed.
     *
     * @param handled runs in the transaction, before its offsets are taken: the command it answers is handled
     */
    CompletableFuture<Void> submit(String roomId, List<ProducerRecord<String, byte[]>> records, Runnable handled) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (!running) {
            written.completeExceptionally(new IllegalStateException("room-service is stopping"));
            return written;
        }
        // Kafka would refuse the whole transaction for it, and with it every other room's change.
        if (records.stream().anyMatch(r -> r.value() != null && r.value().length > MAX_RECORD_BYTES)) {
            written.completeExceptionally(new IllegalStateException(
                    "room " + roomId + "'s change does not fit in a Kafka record of " + MAX_RECORD_BYTES + " bytes"));
            return written;
        }
        queue.add(new Pending(roomId, records, handled, written, System.nanoTime() + writeTimeout.toNanos()));
        return written;
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            List<Pending> batch = nextBatch();
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
        closeProducer();
    }

    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>();
        try {
            Pending first = queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return batch;
    }

    /** Commits the batch, trying again until it is committed or each of its writes is refused or too late. */
    private void commit(List<Pending> batch) {
        int failures = 0;
        for (List<Pending> left = stillWanted(batch); !left.isEmpty(); left = stillWanted(left)) {
            ConsumerGroupMetadata group = ownership.group();
            try {
                commit(left, group);
                left.forEach(p -> p.written().complete(null));
                return;
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                     | UnsupportedVersionException fatal) {
                // The producer is unusable (a transaction outlived its timeout, say): a new one gets a new epoch.
                LOG.warnf("room transactions need a new producer: %s", fatal.getMessage());
                closeProducer();
            } catch (KafkaException e) {
                abort();
                if (e instanceof CommitFailedException) {
                    // The group moved on: either a rebalance this instance takes part in, or its partitions are gone.
                    awaitNewMembership(group);
                } else {
                    LOG.warnf("a room transaction failed, trying again: %s", e.getMessage());
                    pause(failures++);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "a room transaction failed unexpectedly; trying again with a new producer");
                closeProducer();
                pause(failures++);
            }
        }
    }

    private void commit(List<Pending> writes, ConsumerGroupMetadata group) {
        Producer<String, byte[]> p = producer();
        p.beginTransaction();
        for (Pending write : writes) {
            write.records().forEach(p::send);
            write.handled().run();
        }
        // Sends are checked by the commit, which fails if any of them did.
        p.sendOffsetsToTransaction(ownership.offsets(), group);
        p.commitTransaction();
    }

    /** Fails the writes of rooms this instance no longer owns, and those that waited too long. */
    private List<Pending> stillWanted(List<Pending> writes) {
        List<Pending> wanted = new ArrayList<>(writes.size());
        long now = System.nanoTime();
        for (Pending write : writes) {
            if (!ownership.owns(write.roomId()) || ownership.group() == null) {
                refused.run();
                write.written().completeExceptionally(new NotOwnerException(write.roomId()));
            } else if (now - write.deadlineNanos() > 0) {
                write.written().completeExceptionally(new IllegalStateException(
                        "Kafka did not take room " + write.roomId() + "'s change within " + writeTimeout));
            } else if (!write.written().isDone()) {
                wanted.add(write);
            }
        }
        return wanted;
    }

    private void awaitNewMembership(ConsumerGroupMetadata stale) {
        long until = System.nanoTime() + MEMBERSHIP_WAIT.toNanos();
        while (ownership.group() == stale && System.nanoTime() - until < 0 && running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> fresh = producers.get();
            try {
                fresh.initTransactions();
            } catch (RuntimeException e) {
                fresh.close(Duration.ZERO);
                throw e;
            }
            producer = fresh;
        }
        return producer;
    }

    private void abort() {
        try {
            if (producer != null) {
                producer.abortTransaction();
            }
        } catch (KafkaException e) {
            LOG.debugf("abort failed, starting a new producer: %s", e.getMessage());
            closeProducer();
        }
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
            producer = null;
        }
    }

    private void pause(int failures) {
        LockSupport.parkNanos(BACKOFF.after(failures).toNanos());
    }

    /** Commits what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(writeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
