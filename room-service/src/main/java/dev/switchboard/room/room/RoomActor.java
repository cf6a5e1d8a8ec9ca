package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.messaging.Backoff;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.room.kurento.MediaEvent;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServerException;
import dev.switchboard.room.kurento.MediaServers;
import dev.switchboard.room.room.RoomState.Participant;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One room's single writer. Messages queue in its mailbox and are handled one at a time on a virtual
 * thread: no locks around room state, no races between commands, media events and timers. {@code state}
 * is always the last backed-up state (but for warm endpoints that arrived since: see {@link #carryOut}), so a
 * failure restarts from exactly what Kafka holds.
 */
final class RoomActor {

    private static final Logger LOG = Logger.getLogger(RoomActor.class);
    private static final Backoff RECOVERY_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final String roomId;
    private final Context context;
    private final ArrayDeque<RoomMessage> mailbox = new ArrayDeque<>();
    /** Survives restarts: it holds only endpoints on their way, none of the room's state. */
    private final WarmPool warming = new WarmPool();
    /** Held while a message is handled, so that a handover can wait for it. */
    private final ReentrantLock handling = new ReentrantLock();
    private RoomBehavior behavior;
    private RoomState state;
    /** When this room restarted lately, for the restart intensity. */
    private final ArrayDeque<Instant> restarts = new ArrayDeque<>();
    private boolean draining;
    /** Takeover attempts that failed so far, for the backoff; endpoints already taken over are not again. */
    private int recoveryAttempts;
    private final Set<String> reattached = new HashSet<>();
    private boolean stopped;

    /** What every room shares: the media servers, the output, the clocks and settings. */
    record Context(MediaServers servers, RoomOutput output, Executor executor, ScheduledExecutorService timers,
                   Clock clock, RoomSupervisor.Settings settings, RoomSupervisor supervisor) {
    }

    RoomActor(RoomState state, Context context) {
        this.roomId = state.roomId();
        this.state = state;
        this.context = context;
        this.behavior = newBehavior();
    }

    String roomId() {
        return roomId;
    }

    /** Queues a message; false when this room has stopped and the caller must go to its successor. */
    boolean tell(RoomMessage message) {
        synchronized (mailbox) {
            if (stopped) {
                return false;
            }
            mailbox.add(message);
            if (!draining) {
                draining = true;
                context.executor().execute(this::drain);
            }
            return true;
        }
    }

    /** Resumes a room taken over from its backup: its endpoints report here now, its timers run again. */
    void recover() {
        tell(new RoomMessage.Recover());
    }

    /**
     * Stops without touching Kurento: the room lives on at its next owner. Queued commands are dropped
     * unhandled, so their offsets stay uncommitted and Kafka delivers them to that owner. Waits up to
     * {@code wait} for the message in progress.
     */
    void stopForHandover(Duration wait) {
        synchronized (mailbox) {
            stopped = true;
            mailbox.clear();
        }
        try {
            if (handling.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                handling.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        while (true) {
            RoomMessage message;
            synchronized (mailbox) {
                message = mailbox.poll();
                if (message == null || stopped) {
                    draining = false;
                    return;
                }
            }
            handling.lock();
            try {
                handle(message);
                warmUp();
            } finally {
                handling.unlock();
            }
            if (state.isEmpty() && state.pipelineId() == null) {
                retire();
                return;
            }
        }
    }

    /**
     * A room with nobody in it and no pipeline does not exist: it leaves the supervisor, and whatever
     * reached its mailbox meanwhile goes to the room that takes its place.
     */
    private void retire() {
        List<RoomMessage> queued;
        synchronized (mailbox) {
            stopped = true;
            draining = false;
            queued = List.copyOf(mailbox);
            mailbox.clear();
        }
        context.supervisor().stopped(this);
        queued.forEach(m -> {
            if (m instanceof RoomMessage.Command c) {
                context.supervisor().dispatch(c.command(), c.done());
            }
        });
    }

    private void handle(RoomMessage message) {
        try {
            switch (message) {
                case RoomMessage.Command c -> onCommand(c);
                case RoomMessage.Recover r -> reattach();
                case RoomMessage.MediaServerChanged m when state.pipelineId() == null
                        || !m.mediaServer().equals(behavior.media(state).id()) -> {
                }
                case RoomMessage.MediaServerChanged m when m.available() -> carryOut(behavior.mediaServerBack(state, now()));
                case RoomMessage.MediaServerChanged m -> {
                    carryOut(behavior.mediaServerLost(state, now()));
                    scheduleMediaServerGrace();
                }
                case RoomMessage.MediaServerGraceExpired g -> moveIfStillLost();
                case RoomMessage.EndpointWarmed w -> carryOut(behavior.endpointWarmed(state, w.endpoint(), now()));
                case RoomMessage.Media m -> behavior.mediaEvent(state, m.event())
                        .ifPresent(d -> context.output().relay(roomId, d.message()));
                case RoomMessage.GraceExpired g ->
                        carryOut(behavior.graceExpired(state, g.participantId(), g.disconnectedAt(), now()));
                case RoomMessage.EmptyTimeout t -> {
                    if (t.version() == state.version()) {
                        carryOut(behavior.emptyTimeout(state, now()));
                    }
                }
            }
        } catch (RuntimeException e) {
            restart(e, message);
        }
    }

    /**
     * OTP's restart: the room goes on from its last backup with a fresh behaviour (no buffered state),
     * publishing again what that backup may not have published. Past the restart intensity the room is
     * closed instead, with reason {@code crashed}.
     */
    private void restart(RuntimeException cause, RoomMessage message) {
        behavior = newBehavior();
        if (message instanceof RoomMessage.Recover) {
            retryRecovery(cause);
            return;
        }
        Instant now = now();
        restarts.addLast(now);
        while (restarts.getFirst().isBefore(now.minus(context.settings().restartWindow()))) {
            restarts.removeFirst();
        }
        if (restarts.size() > context.settings().maxRestarts()) {
            LOG.errorf(cause, "room %s failed %d times within %s, closing it: %s", roomId, restarts.size(),
                    context.settings().restartWindow(), message);
            closeCrashed();
            return;
        }
        LOG.warnf(cause, "room %s failed handling %s; restarting it from its backup", roomId, message);
        try {
            republish();
        } catch (RuntimeException e) {
            LOG.warnf("room %s could not publish its state after restarting: %s", roomId, e.getMessage());
        }
    }

    /**
     * A takeover that failed (Kafka or the media server away) is tried again until it succeeds: until then the
     * room's media is not listened to and the previous owner's objects are not taken over, so giving up would
     * let the media server collect them.
     */
    private void retryRecovery(RuntimeException cause) {
        Duration wait = RECOVERY_BACKOFF.after(recoveryAttempts++);
        LOG.warnf("room %s could not take over its media (%s); trying again in %d ms", roomId, cause.getMessage(),
                wait.toMillis());
        context.timers().schedule(() -> tell(new RoomMessage.Recover()), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeCrashed() {
        Decision close = behavior.close(state, EndReason.CRASHED, now());
        try {
            carryOut(close);
        } catch (RuntimeException e) {
            // Kafka may be what fails: the media goes anyway, the backup stays for whoever can restore it.
            LOG.errorf("room %s could not record its closing: %s", roomId, e.getMessage());
            releaseAll(close.releases());
            state = RoomState.empty(roomId);
        }
    }

    /**
     * Handles a command; its offset is committed with its answer, so a command whose answer could not be
     * written is left for Kafka to deliver again, here after a restart or at the next owner, where the backup
     * answers it or it is done then.
     */
    private void onCommand(RoomMessage.Command message) {
        var command = message.command();
        Optional<GatewayMessage.Body> earlier = state.answerTo(command.commandId());
        if (earlier.isPresent()) {
            // Delivered again after a failover: answer as before, do nothing twice.
            context.output().write(roomId, RoomOutput.Write.messages(List.of(
                    new GatewayMessage(command.gatewayId(), command.connectionId(), earlier.get())), message.done()));
            return;
        }
        Decision decision;
        try {
            decision = behavior.decide(state, command, now());
        } catch (RoomBehavior.RoomCrash crash) {
            carryOut(crash.undo(), command, message.done());
            throw crash;
        }
        if (decision.answer() != null && decision.changed()) {
            decision = withState(decision, decision.state().remember(command.commandId(), decision.answer()));
        }
        RoomState before = state;
        try {
            carryOut(decision, command, message.done());
        } catch (RuntimeException e) {
            if (decision.changed() && state == before) {
                // Not written, so it did not happen: give back what it created and say so.
                releaseAll(decision.created());
                answer(command, new GatewayMessage.Failure(command.commandId(), ErrorCode.UNAVAILABLE.code(),
                        "the room could not save the change; try again"), message.done());
            }
            throw e;
        }
    }

    private void answer(RoomCommand command, GatewayMessage.Body answer, Runnable handled) {
        try {
            context.output().write(roomId, RoomOutput.Write.messages(
                    List.of(new GatewayMessage(command.gatewayId(), command.connectionId(), answer)), handled));
        } catch (RuntimeException e) {
            LOG.warnf("room %s could not answer command %s: %s", roomId, command.commandId(), e.getMessage());
        }
    }

    private void carryOut(Decision decision) {
        carryOut(decision, null, RoomOutput.Write.NOTHING_HANDLED);
    }

    /**
     * Writes the new state with everything it produced in one go, then gives back what is no longer used:
     * a crash at any point leaves Kafka and Kurento consistent with the last backup.
     */
    private void carryOut(Decision decision, RoomCommand command, Runnable handled) {
        boolean bookkeeping = decision.changes().stream().noneMatch(RoomChange::seenByParticipants);
        RoomState next = decision.changed() && !bookkeeping ? decision.state().withLastEvents(decision.events())
                : decision.state();
        boolean gone = next.isEmpty() && next.pipelineId() == null;
        RoomState previous = state;
        // The warm pool alone changing goes with the next backup. A new owner that never saw an endpoint that
        // arrived meanwhile releases it as an orphan, and one that finds an endpoint gone drops it.
        RoomOutput.Backup backup = !decision.changed() || bookkeeping ? new RoomOutput.Backup.Unchanged()
                : gone ? new RoomOutput.Backup.Erased() : new RoomOutput.Backup.Current(next);
        List<GatewayMessage> messages = new ArrayList<>();
        if (decision.answer() != null) {
            messages.add(new GatewayMessage(command.gatewayId(), command.connectionId(), decision.answer()));
        }
        decision.deliveries().forEach(d -> messages.add(d.message()));
        RoomOutput.StatusUpdate status = gone && decision.changed() ? new RoomOutput.StatusUpdate.Gone()
                : next.version() == previous.version() ? new RoomOutput.StatusUpdate.Unchanged()
                : new RoomOutput.StatusUpdate.Current(next.status());
        RoomOutput.Write write = new RoomOutput.Write(backup, decision.events(), status, messages, handled);
        if (command != null || !isEmpty(write)) {
            context.output().write(roomId, write);
        }
        state = next;
        releaseAll(decision.releases());
        scheduleTimers(previous, decision);
    }

    private void scheduleTimers(RoomState previous, Decision decision) {
        for (RoomChange change : decision.changes()) {
            if (change instanceof RoomChange.ParticipantDisconnected d) {
                scheduleGrace(d.participantId(), d.at());
            }
        }
        // A timeout fires only for the version it was armed at: an empty room that changes again (its media server
        // went away and came back) waits anew, or it would keep its pipeline for good.
        if (state.isEmpty() && state.pipelineId() != null && state.version() != previous.version()) {
            scheduleEmptyTimeout(context.settings().emptyTimeout());
        }
    }

    private static boolean isEmpty(RoomOutput.Write write) {
        return write.backup() instanceof RoomOutput.Backup.Unchanged && write.events().isEmpty()
                && write.status() instanceof RoomOutput.StatusUpdate.Unchanged && write.messages().isEmpty();
    }

    /**
     * Takes the room's Kurento objects over from the previous owner. Whatever Kurento no longer has
     * (its collector passed, or it restarted) is negotiated again; the rest of the call is untouched.
     */
    private void reattach() {
        republish();
        if (state.pipelineId() != null && !pipelineExists()) {
            carryOut(behavior.mediaServerBack(state, now()));
        }
        Set<String> lost = new HashSet<>();
        state.warmEndpoints().forEach(id -> reattach(id, MediaServer.ObjectTags.room(roomId), lost));
        for (Participant p : state.participants().values()) {
            p.streams().values().forEach(s -> reattach(s.endpointId(),
                    new MediaServer.ObjectTags(roomId, p.participantId(), s.streamId()), lost));
            p.subscriptions().values().forEach(s -> reattach(s.endpointId(),
                    new MediaServer.ObjectTags(roomId, p.participantId(), s.streamId()), lost));
            if (!p.connected()) {
                scheduleGrace(p.participantId(), p.disconnectedAt());
            }
        }
        if (!lost.isEmpty()) {
            LOG.warnf("room %s lost %d endpoints while it had no owner; renegotiating them", roomId, lost.size());
            carryOut(behavior.endpointsLost(state, lost, now()));
        }
        if (state.isEmpty()) {
            scheduleEmptyTimeout(context.settings().emptyTimeout());
        }
        releaseOrphans();
        LOG.infof("room %s recovered at version %d with %d participants", roomId, state.version(),
                state.participants().size());
    }

    private boolean pipelineExists() {
        try {
            behavior.media(state).children(state.pipelineId());
            return true;
        } catch (MediaServerException e) {
            if (e.kind() == MediaServerException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private void reattach(String endpointId, MediaServer.ObjectTags tags, Set<String> lost) {
        if (reattached.contains(endpointId)) {
            return;
        }
        try {
            behavior.media(state).reattach(endpointId, tags, this::onMediaEvent);
            reattached.add(endpointId);
        } catch (MediaServerException e) {
            if (e.kind() != MediaServerException.Kind.NOT_FOUND) {
                throw e;
            }
            lost.add(endpointId);
        }
    }

    /** What the last backup may not have published yet: consumers drop duplicate events by id. */
    private void republish() {
        context.output().write(roomId, new RoomOutput.Write(new RoomOutput.Backup.Unchanged(), state.lastEvents(),
                new RoomOutput.StatusUpdate.Current(state.status()), List.of(), RoomOutput.Write.NOTHING_HANDLED));
    }

    /** Endpoints the previous owner created after its last backup: no participant will ever use them. */
    private void releaseOrphans() {
        if (state.pipelineId() == null) {
            return;
        }
        Set<String> used = state.endpointsHeld();
        MediaServer media = behavior.media(state);
        media.children(state.pipelineId()).stream()
                .filter(id -> !used.contains(id))
                .forEach(orphan -> {
                    LOG.infof("room %s releases orphan %s", roomId, orphan);
                    media.release(orphan, MediaServer.ObjectTags.room(roomId));
                });
    }

    /**
     * The room's media server stayed away past its grace: the room moves to another. With no other server
     * reachable it waits another grace, then looks again.
     */
    private void moveIfStillLost() {
        if (state.pipelineId() == null || behavior.media(state).available()) {
            return;
        }
        try {
            carryOut(behavior.moveMediaServer(state, now()));
            LOG.infof("room %s moved to media server %s", roomId, state.mediaServer());
        } catch (MediaServerException e) {
            if (e.kind() != MediaServerException.Kind.UNREACHABLE) {
                throw e;
            }
            LOG.warnf("room %s waits for a media server: %s", roomId, e.getMessage());
            scheduleMediaServerGrace();
        }
    }

    private void scheduleMediaServerGrace() {
        context.timers().schedule(() -> tell(new RoomMessage.MediaServerGraceExpired()),
                context.settings().mediaServerGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps the room's warm pool full; the creations run in the background and each arrives in the mailbox. */
    private void warmUp() {
        Optional<MediaServer> server = context.servers().get(state.mediaServer());
        if (state.pipelineId() == null || server.isEmpty()) {
            return;
        }
        MediaServer media = server.get();
        long missing = behavior.warmWanted(state) - state.warmEndpoints().size() - warming.onTheWay(state.pipelineId());
        for (long i = 0; i < missing && media.available(); i++) {
            WarmPool.Warming endpoint = new WarmPool.Warming(state.pipelineId(),
                    media.createEndpoint(state.pipelineId(), MediaServer.ObjectTags.room(roomId), this::onMediaEvent));
            warming.started(endpoint);
            endpoint.endpoint.whenComplete((id, failure) -> {
                if (failure != null) {
                    LOG.debugf("room %s could not warm an endpoint: %s", roomId, failure.getMessage());
                }
                if (!tell(new RoomMessage.EndpointWarmed(endpoint)) && id != null) {
                    // The room is gone or handed over; its next owner does not know of this endpoint.
                    media.release(id, MediaServer.ObjectTags.room(roomId));
                }
            });
        }
    }

    private void scheduleGrace(String participantId, Instant disconnectedAt) {
        Duration left = Duration.between(now(), disconnectedAt.plus(context.settings().reconnectGrace()));
        context.timers().schedule(() -> tell(new RoomMessage.GraceExpired(participantId, disconnectedAt)),
                Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void scheduleEmptyTimeout(Duration after) {
        long version = state.version();
        context.timers().schedule(() -> tell(new RoomMessage.EmptyTimeout(version)), after.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void releaseAll(List<Decision.Release> releases) {
        releases.forEach(r -> context.servers().get(r.mediaServer())
                .ifPresent(media -> media.release(r.objectId(), r.tags())));
    }

    private void onMediaEvent(MediaEvent event) {
        tell(new RoomMessage.Media(event));
    }

    private RoomBehavior newBehavior() {
        return new RoomBehavior(context.servers(), this::onMediaEvent, warming, context.settings().warmEndpoints());
    }

    private Instant now() {
        return context.clock().instant();
    }

    private static Decision withState(Decision d, RoomState state) {
        return new Decision(state, d.changes(), d.events(), d.answer(), d.deliveries(), d.releases(), d.created());
    }
}
