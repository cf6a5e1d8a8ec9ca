package dev.switchboard.room.messaging;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The commands of one partition that are dispatched but not yet handled. Rooms finish out of order;
 * only the offset below the oldest unfinished command may be committed, so none is skipped on failover.
 */
final class OffsetTracker {

    private final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();
    private volatile long next;

    /** @param position the next command to read: where the previous owner stopped */
    OffsetTracker(long position) {
        this.next = position;
    }

    /** Called by the polling thread only, in offset order. */
    void dispatched(long offset) {
        inFlight.add(offset);
        next = offset + 1;
    }

    void done(long offset) {
        inFlight.remove(offset);
    }

    /** The offset to commit: the next command to deliver after a failover. */
    long committable() {
        var unfinished = inFlight.iterator();
        return unfinished.hasNext() ? unfinished.next() : next;
    }
}
