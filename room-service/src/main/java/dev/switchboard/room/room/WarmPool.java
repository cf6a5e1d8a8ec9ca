package dev.switchboard.room.room;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoints being created ahead of need for one room: a publish or subscription that finds no warm
 * endpoint in the room's state takes the oldest one still on its way rather than start another. Those that
 * have arrived are in the room's state ({@link RoomState#warmEndpoints()}), so backed up. Touched only by
 * the room's own thread.
 */
final class WarmPool {

    /** An endpoint on its way; whoever claims it first, a command or the pool on its arrival, has it. */
    static final class Warming {
        final String pipelineId;
        final CompletableFuture<String> endpoint;
        private boolean claimed;

        Warming(String pipelineId, CompletableFuture<String> endpoint) {
            this.pipelineId = pipelineId;
            this.endpoint = endpoint;
        }

        private boolean claim() {
            boolean first = !claimed;
            claimed = true;
            return first;
        }
    }

    private final ArrayDeque<Warming> onTheWay = new ArrayDeque<>();

    void started(Warming warming) {
        onTheWay.add(warming);
    }

    long onTheWay(String pipelineId) {
        return onTheWay.stream().filter(w -> w.pipelineId.equals(pipelineId)).count();
    }

    /** The oldest endpoint on its way to this pipeline, now the caller's. */
    Optional<Warming> claimOldest(String pipelineId) {
        Optional<Warming> oldest = onTheWay.stream().filter(w -> w.pipelineId.equals(pipelineId)).findFirst();
        oldest.ifPresent(w -> {
            onTheWay.remove(w);
            w.claim();
        });
        return oldest;
    }

    /** An endpoint arrived: true when nobody claimed it on its way, so that it joins the room's pool. */
    boolean arrived(Warming warming) {
        onTheWay.remove(warming);
        return warming.claim();
    }
}
