package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.ResumeTokens;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.ProtocolException;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.room.kurento.MediaEvent;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServer.ObjectTags;
import dev.switchboard.room.kurento.MediaServerException;
import dev.switchboard.room.kurento.MediaServers;
import dev.switchboard.room.room.RoomState.Participant;
import dev.switchboard.room.room.RoomState.PublishedStream;
import dev.switchboard.room.room.RoomState.Subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How a room answers commands and timers: decides the changes, drives the media server for them, and
 * says what to tell whom. Holds no state of its own: the room's state comes in and a {@link Decision} goes out.
 */
public final class RoomBehavior {

    /** Published streams per participant: a camera and a screen, with room to spare. */
    static final int MAX_STREAMS_PER_PARTICIPANT = 4;

    private final MediaServers servers;
    private final Consumer<MediaEvent> mediaEvents;
    private final WarmPool warming;
    private final int warmSpares;

    /**
     * @param mediaEvents where the events of the endpoints this room creates go: the room's mailbox
     * @param warming     the endpoints on their way to the room's warm pool
     * @param warmSpares  how many endpoints the room keeps ready besides those its participants will publish with
     */
    RoomBehavior(MediaServers servers, Consumer<MediaEvent> mediaEvents, WarmPool warming, int warmSpares) {
        this.servers = servers;
        this.mediaEvents = mediaEvents;
        this.warming = warming;
        this.warmSpares = warmSpares;
    }

    /**
     * How many warm endpoints the room wants: its spares, and one more for each participant yet to publish (up to
     * as many again), so that a publish or subscription finds its endpoint ready.
     */
    long warmWanted(RoomState state) {
        long publishers = state.participants().values().stream().filter(p -> p.streams().isEmpty()).count();
        return warmSpares + Math.min(publishers, warmSpares);
    }

    /** Warm endpoints nobody will want any more, as after a participant left before publishing, are released. */
    private void trimWarmPool(Plan plan) {
        List<String> warm = plan.state.warmEndpoints();
        for (int i = warm.size() - 1; i >= warmWanted(plan.state); i--) {
            plan.record(new RoomChange.WarmEndpointTaken(warm.get(i)));
            plan.release(warm.get(i), ObjectTags.room(plan.state.roomId()));
        }
    }

    /** The media server the room's pipeline is on; one no longer configured counts as unreachable. */
    MediaServer media(RoomState state) {
        return servers.get(state.mediaServer()).orElseThrow(() -> new MediaServerException(
                "media server " + state.mediaServer() + " is no longer configured",
                MediaServerException.Kind.UNREACHABLE, null));
    }

    public Decision decide(RoomState state, RoomCommand command, Instant now) {
        Plan plan = new Plan(state, now);
        try {
            plan.answer = switch (command.command()) {
                // A newer gateway's request, during a rolling deploy: refused clearly, and worth trying again.
                case null -> throw new ProtocolException(ErrorCode.UNAVAILABLE, "this room-service (format "
                        + FormatVersion.CURRENT + ") does not know this request, sent in format " + command.format()
                        + "; try again once the upgrade is done");
                case RoomCommand.Join join -> join(plan, command, join);
                case RoomCommand.Resume resume -> resume(plan, command, resume);
                case RoomCommand.Publish publish -> publish(plan, member(plan, command), publish);
                case RoomCommand.Unpublish unpublish -> unpublish(plan, member(plan, command), unpublish.streamId());
                case RoomCommand.Subscribe subscribe -> subscribe(plan, member(plan, command), subscribe);
                case RoomCommand.Unsubscribe unsubscribe ->
                        unsubscribe(plan, member(plan, command), unsubscribe.streamId());
                case RoomCommand.AddIceCandidate candidate ->
                        addIceCandidate(plan, member(plan, command), candidate.streamId(), candidate.candidate());
                case RoomCommand.SetMedia setMedia -> setMedia(plan, member(plan, command), setMedia);
                case RoomCommand.Leave leave -> {
                    removeParticipant(plan, member(plan, command).participantId(), EndReason.LEAVE_ROOM);
                    yield new RequestResult.Done();
                }
                case RoomCommand.ConnectionLost lost -> {
                    connectionLost(plan, command);
                    yield null;
                }
                case RoomCommand.CloseRoom close -> {
                    requireRoom(plan);
                    close(plan, close.reason());
                    yield new RequestResult.Done();
                }
                case RoomCommand.RemoveParticipant remove -> {
                    Participant participant = plan.state.participant(remove.participantId())
                            .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND,
                                    "no participant " + remove.participantId() + " in room " + plan.state.roomId()));
                    plan.deliver(participant, new ServerNotification.Evicted(remove.reason()));
                    removeParticipant(plan, participant.participantId(), EndReason.EVICTED);
                    yield new RequestResult.Done();
                }
            };
            return plan.decision(command.command() instanceof RoomCommand.ConnectionLost
                    ? null : new GatewayMessage.Reply(command.commandId(), (RequestResult) plan.answer));
        } catch (ProtocolException e) {
            return plan.failed(command, e.code(), e.getMessage());
        } catch (MediaServerException e) {
            return switch (e.kind()) {
                case BAD_INPUT -> plan.failed(command, ErrorCode.INVALID_PARAMS, e.getMessage());
                // Rooms wait for a media server that is away; that is no fault of theirs.
                case UNREACHABLE -> plan.failed(command, ErrorCode.UNAVAILABLE,
                        "the media server is unreachable; try again when it is back");
                // The media server failed the room, not the client: answer, then restart the room.
                case NOT_FOUND, FAILED ->
                        throw new RoomCrash(plan.failed(command, ErrorCode.UNAVAILABLE, e.getMessage()), e);
            };
        } catch (RuntimeException e) {
            throw new RoomCrash(plan.failed(command, ErrorCode.INTERNAL,
                    "the room failed handling this request and restarts; try again"), e);
        }
    }

    /**
     * A fault of the room, not of the command: the room restarts from its backup. Carries the decision
     * that undoes the command: its failure answer, and the release of what it created.
     */
    public static final class RoomCrash extends RuntimeException {
        private final Decision undo;

        RoomCrash(Decision undo, Throwable cause) {
            super(cause);
            this.undo = undo;
        }

        public Decision undo() {
            return undo;
        }
    }

    /**
     * Closes the room: every participant is told and removed, the call ends with {@code reason}, and the
     * pipeline with all its endpoints is released.
     */
    public Decision close(RoomState state, String reason, Instant now) {
        Plan plan = new Plan(state, now);
        close(plan, reason);
        return plan.decision(null);
    }

    /** The media server went away: the room says so, and refuses media work until it is back. */
    public Decision mediaServerLost(RoomState state, Instant now) {
        Plan plan = new Plan(state, now);
        plan.record(new RoomChange.MediaServerLost(media(state).id()));
        return plan.decision(null);
    }

    /**
     * The media server is back. If it kept the room's pipeline, the call goes on as it was. If it came
     * back empty (restarted), the room gets a new pipeline and every publisher and subscriber is asked to
     * negotiate its streams again; the call goes on once they have.
     */
    public Decision mediaServerBack(RoomState state, Instant now) {
        Plan plan = new Plan(state, now);
        MediaServer media = media(state);
        try {
            media.children(state.pipelineId());
            plan.record(new RoomChange.MediaServerRecovered(false, media.id()));
        } catch (MediaServerException e) {
            if (e.kind() != MediaServerException.Kind.NOT_FOUND) {
                throw e;
            }
            rebuild(plan, media, "mediaServerRestarted");
        }
        return plan.decision(null);
    }

    /**
     * The room's media server stayed away past its grace: the room moves to another, with a new pipeline
     * there, and every stream is negotiated again. The old pipeline is released should its server return.
     */
    public Decision moveMediaServer(RoomState state, Instant now) {
        Plan plan = new Plan(state, now);
        MediaServer elsewhere = servers.place();
        plan.release(state.pipelineId(), ObjectTags.room(state.roomId()));
        rebuild(plan, elsewhere, "mediaServerLost");
        return plan.decision(null);
    }

    /**
     * The room's media is gone: every publisher and subscriber is asked to negotiate again on a new pipeline
     * of {@code media}. An empty room just forgets its pipeline; whoever joins next gets a new one.
     */
    private void rebuild(Plan plan, MediaServer media, String reason) {
        for (Participant publisher : List.copyOf(plan.state.participants().values())) {
            for (String streamId : List.copyOf(plan.state.participants().get(publisher.participantId()).streams().keySet())) {
                askToRenegotiate(plan, streamId, reason);
                endStream(plan, plan.state.participants().get(publisher.participantId()), streamId);
            }
        }
        if (plan.state.isEmpty()) {
            plan.record(new RoomChange.PipelineReleased());
        } else {
            createPipeline(plan, media);
        }
        plan.record(new RoomChange.MediaServerRecovered(true, media.id()));
    }

    private void createPipeline(Plan plan, MediaServer media) {
        ObjectTags tags = ObjectTags.room(plan.state.roomId());
        String pipelineId = media.createPipeline(tags);
        // Placed first, so that what the plan creates is known to be on the new server.
        plan.record(new RoomChange.PipelineCreated(pipelineId, media.id()));
        plan.created(pipelineId, tags);
    }

    /**
     * Endpoints of the room that the media server no longer has (found missing when taking the room
     * over): their streams are negotiated again, the rest of the call goes on.
     */
    public Decision endpointsLost(RoomState state, java.util.Set<String> endpointIds, Instant now) {
        Plan plan = new Plan(state, now);
        state.warmEndpoints().stream().filter(endpointIds::contains)
                .forEach(id -> plan.record(new RoomChange.WarmEndpointTaken(id)));
        for (Participant participant : List.copyOf(state.participants().values())) {
            for (PublishedStream stream : participant.streams().values()) {
                if (endpointIds.contains(stream.endpointId())) {
                    askToRenegotiate(plan, stream.streamId(), "mediaServerRestarted");
                    endStream(plan, plan.state.participants().get(participant.participantId()), stream.streamId());
                }
            }
        }
        for (Participant participant : List.copyOf(plan.state.participants().values())) {
            for (Subscription subscription : participant.subscriptions().values()) {
                if (endpointIds.contains(subscription.endpointId())) {
                    if (participant.connected()) {
                        plan.deliver(participant, new ServerNotification.Renegotiate(subscription.streamId(),
                                "mediaServerLostStream"));
                    }
                    endSubscription(plan, plan.state.participants().get(participant.participantId()), subscription);
                }
            }
        }
        return plan.decision(null);
    }

    private static void askToRenegotiate(Plan plan, String streamId, String reason) {
        for (Participant participant : plan.state.participants().values()) {
            if (participant.connected() && (participant.streams().containsKey(streamId)
                    || participant.subscriptions().containsKey(streamId))) {
                plan.deliver(participant, new ServerNotification.Renegotiate(streamId, reason));
            }
        }
    }

    /**
     * An endpoint created ahead of need arrived: it joins the room's warm pool, unless a command took it on
     * its way or the room has another pipeline by now.
     */
    Decision endpointWarmed(RoomState state, WarmPool.Warming endpoint, Instant now) {
        Plan plan = new Plan(state, now);
        if (warming.arrived(endpoint) && !endpoint.endpoint.isCompletedExceptionally()) {
            String endpointId = endpoint.endpoint.join();
            if (endpoint.pipelineId.equals(state.pipelineId())) {
                plan.record(new RoomChange.EndpointWarmed(endpointId));
            } else {
                plan.release(endpointId, ObjectTags.room(state.roomId()));
            }
        }
        return plan.decision(null);
    }

    /** A participant whose socket dropped and did not resume in time leaves with networkDisconnect. */
    public Decision graceExpired(RoomState state, String participantId, Instant disconnectedAt, Instant now) {
        Plan plan = new Plan(state, now);
        state.participant(participantId)
                .filter(p -> !p.connected() && disconnectedAt.equals(p.disconnectedAt()))
                .ifPresent(p -> removeParticipant(plan, participantId, EndReason.NETWORK_DISCONNECT));
        return plan.decision(null);
    }

    /** An empty room gives its pipeline back once nobody joined for the empty timeout. */
    public Decision emptyTimeout(RoomState state, Instant now) {
        Plan plan = new Plan(state, now);
        if (state.isEmpty() && state.pipelineId() != null) {
            plan.release(state.pipelineId(), ObjectTags.room(state.roomId()));
            plan.record(new RoomChange.PipelineReleased());
        }
        return plan.decision(null);
    }

    /** Relays what the media server says of an endpoint to the participant it serves. */
    public Optional<Decision.Delivery> mediaEvent(RoomState state, MediaEvent event) {
        for (Participant p : state.participants().values()) {
            Optional<String> streamId = p.streams().values().stream()
                    .filter(s -> s.endpointId().equals(event.endpointId())).map(PublishedStream::streamId)
                    .findFirst()
                    .or(() -> p.subscriptions().values().stream()
                            .filter(s -> s.endpointId().equals(event.endpointId())).map(Subscription::streamId)
                            .findFirst());
            if (streamId.isPresent()) {
                ServerNotification notification = switch (event) {
                    case MediaEvent.CandidateFound found ->
                            new ServerNotification.IceCandidateFound(streamId.get(), found.candidate());
                    case MediaEvent.StateChanged changed ->
                            new ServerNotification.MediaStateChanged(streamId.get(), changed.state());
                };
                return p.connected()
                        ? Optional.of(new Decision.Delivery(p.gatewayId(), p.connectionId(), notification))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private RequestResult join(Plan plan, RoomCommand command, RoomCommand.Join join) {
        boolean alreadyJoined = plan.state.participants().values().stream().anyMatch(p ->
                p.connected() && p.gatewayId().equals(command.gatewayId())
                        && p.connectionId().equals(command.connectionId()));
        if (alreadyJoined) {
            throw new ProtocolException(ErrorCode.CONFLICT, "this connection has already joined the room");
        }
        String roomId = plan.state.roomId();
        if (plan.state.pipelineId() == null) {
            createPipeline(plan, servers.place());
        }
        if (plan.state.callId() == null) {
            plan.record(new RoomChange.CallStarted(roomId, UUID.randomUUID().toString(), plan.now));
        }
        Participant participant = new Participant(newId(), join.userId(), join.name(), join.metadata(),
                ResumeTokens.issue(roomId), command.gatewayId(), command.connectionId(), true, plan.now, null,
                java.util.Map.of(), java.util.Map.of());
        plan.record(new RoomChange.ParticipantJoined(participant));
        return new RequestResult.Joined(participant.participantId(), participant.resumeToken(), plan.state.status());
    }

    private RequestResult resume(Plan plan, RoomCommand command, RoomCommand.Resume resume) {
        Participant participant = plan.state.participants().values().stream()
                .filter(p -> p.resumeToken().equals(resume.resumeToken()))
                .findFirst()
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND,
                        "unknown resume token: the participant has left or the grace window has passed; join again"));
        boolean sameConnection = participant.connected() && participant.gatewayId().equals(command.gatewayId())
                && participant.connectionId().equals(command.connectionId());
        if (!sameConnection) {
            if (participant.connected()) {
                plan.deliver(participant, new ServerNotification.Evicted("resumedElsewhere"));
            }
            plan.record(new RoomChange.ParticipantReconnected(participant.participantId(), command.gatewayId(),
                    command.connectionId()));
        }
        return new RequestResult.Resumed(participant.participantId(), plan.state.status());
    }

    private RequestResult publish(Plan plan, Participant participant, RoomCommand.Publish publish) {
        if (participant.streams().size() >= MAX_STREAMS_PER_PARTICIPANT) {
            throw new ProtocolException(ErrorCode.CONFLICT,
                    "a participant publishes at most " + MAX_STREAMS_PER_PARTICIPANT + " streams; unpublish one first");
        }
        String streamId = newId();
        ObjectTags tags = new ObjectTags(plan.state.roomId(), participant.participantId(), streamId);
        MediaServer media = media(plan.state);
        String endpointId = endpoint(plan, media, tags);
        String sdpAnswer = media.publish(endpointId, publish.sdpOffer());
        plan.record(new RoomChange.StreamPublished(participant.participantId(), new PublishedStream(streamId,
                publish.kind(), endpointId, hasMedia(publish.sdpOffer(), "audio"), hasMedia(publish.sdpOffer(), "video"))));
        return new RequestResult.Published(streamId, sdpAnswer);
    }

    private RequestResult subscribe(Plan plan, Participant subscriber, RoomCommand.Subscribe subscribe) {
        String streamId = subscribe.streamId();
        Participant publisher = plan.state.publisherOf(streamId).orElseThrow(() -> noSuchStream(streamId));
        if (publisher.participantId().equals(subscriber.participantId())) {
            throw new ProtocolException(ErrorCode.CONFLICT, "a participant cannot subscribe to its own stream");
        }
        if (subscriber.subscriptions().containsKey(streamId)) {
            throw new ProtocolException(ErrorCode.CONFLICT,
                    "already subscribed to stream " + streamId + "; unsubscribe first to negotiate again");
        }
        ObjectTags tags = new ObjectTags(plan.state.roomId(), subscriber.participantId(), streamId);
        MediaServer media = media(plan.state);
        String endpointId = endpoint(plan, media, tags);
        String sdpAnswer = media.subscribe(publisher.streams().get(streamId).endpointId(), endpointId,
                subscribe.sdpOffer());
        // After the description, in arrival order; the subscription takes them out of the state.
        for (IceCandidate early : plan.state.earlyCandidates().of(subscriber.participantId(), streamId)) {
            media.addIceCandidate(endpointId, early);
        }
        plan.record(new RoomChange.StreamSubscribed(subscriber.participantId(), new Subscription(streamId, endpointId)));
        return new RequestResult.Subscribed(sdpAnswer);
    }

    /**
     * An endpoint ready for negotiation: a warm one of the room's pool, else the oldest on its way there,
     * else a new one. Whichever it is, the command owns it: it is released should the command fail.
     */
    private String endpoint(Plan plan, MediaServer media, ObjectTags tags) {
        String endpointId;
        boolean warmed = true;
        if (!plan.state.warmEndpoints().isEmpty()) {
            endpointId = plan.state.warmEndpoints().getFirst();
            plan.record(new RoomChange.WarmEndpointTaken(endpointId));
        } else {
            Optional<WarmPool.Warming> onItsWay = warming.claimOldest(plan.state.pipelineId());
            warmed = onItsWay.isPresent();
            endpointId = MediaServer.await(onItsWay.map(w -> w.endpoint)
                    .orElseGet(() -> media.createEndpoint(plan.state.pipelineId(), tags, mediaEvents)));
        }
        plan.created(endpointId, tags);
        if (warmed) {
            // Tagged with its room when warmed: now it serves a participant's stream too.
            media.tagServed(endpointId, tags);
        }
        return endpointId;
    }

    private RequestResult addIceCandidate(Plan plan, Participant participant, String streamId, IceCandidate candidate) {
        Optional<String> endpoint = Optional.ofNullable(participant.streams().get(streamId))
                .map(PublishedStream::endpointId)
                .or(() -> Optional.ofNullable(participant.subscriptions().get(streamId)).map(Subscription::endpointId));
        if (endpoint.isPresent()) {
            media(plan.state).addIceCandidate(endpoint.get(), candidate);
        } else if (plan.state.publisherOf(streamId).isPresent()
                && plan.state.earlyCandidates().accepts(participant.participantId(), streamId)) {
            // A client may trickle for a subscription before its subscribe is handled: keep, don't drop. Only for
            // a stream the room has (no other can be subscribed to), so the backup holds nothing that is never used.
            plan.record(new RoomChange.CandidateBuffered(
                    new CandidateBuffer.Early(participant.participantId(), streamId, candidate)));
        }
        return new RequestResult.Done();
    }

    private RequestResult unpublish(Plan plan, Participant participant, String streamId) {
        ownStream(plan, participant, streamId);
        endStream(plan, participant, streamId);
        return new RequestResult.Done();
    }

    private RequestResult unsubscribe(Plan plan, Participant participant, String streamId) {
        Subscription subscription = participant.subscriptions().get(streamId);
        if (subscription == null) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "not subscribed to stream " + streamId);
        }
        endSubscription(plan, participant, subscription);
        return new RequestResult.Done();
    }

    private RequestResult setMedia(Plan plan, Participant participant, RoomCommand.SetMedia setMedia) {
        PublishedStream stream = ownStream(plan, participant, setMedia.streamId());
        if (stream.audio() != setMedia.audio() || stream.video() != setMedia.video()) {
            plan.record(new RoomChange.StreamMediaChanged(participant.participantId(), stream.streamId(),
                    setMedia.audio(), setMedia.video()));
        }
        return new RequestResult.Done();
    }

    private void connectionLost(Plan plan, RoomCommand command) {
        plan.state.participant(command.participantId())
                .filter(p -> p.connected() && p.gatewayId().equals(command.gatewayId())
                        && p.connectionId().equals(command.connectionId()))
                .ifPresent(p -> plan.record(new RoomChange.ParticipantDisconnected(p.participantId(), plan.now)));
    }

    private void close(Plan plan, String reason) {
        for (Participant participant : List.copyOf(plan.state.participants().values())) {
            if (participant.connected()) {
                plan.deliver(participant, new ServerNotification.RoomClosed(reason));
            }
            // Their endpoints go with the pipeline: one release instead of one per endpoint.
            plan.record(new RoomChange.ParticipantLeft(participant.participantId(), reason));
        }
        if (plan.state.callId() != null) {
            plan.record(new RoomChange.CallEnded(reason, plan.now));
        }
        if (plan.state.pipelineId() != null) {
            plan.release(plan.state.pipelineId(), ObjectTags.room(plan.state.roomId()));
            plan.record(new RoomChange.PipelineReleased());
        }
    }

    private static void requireRoom(Plan plan) {
        if (plan.state.pipelineId() == null && plan.state.isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no room " + plan.state.roomId());
        }
    }

    /** Takes a participant out with everything it publishes and receives; the last one ends the call. */
    private void removeParticipant(Plan plan, String participantId, String reason) {
        Participant participant = plan.state.participants().get(participantId);
        for (String streamId : List.copyOf(participant.streams().keySet())) {
            endStream(plan, participant, streamId);
            participant = plan.state.participants().get(participantId);
        }
        for (Subscription subscription : List.copyOf(participant.subscriptions().values())) {
            endSubscription(plan, participant, subscription);
        }
        plan.record(new RoomChange.ParticipantLeft(participantId, reason));
        trimWarmPool(plan);
        if (plan.state.isEmpty() && plan.state.callId() != null) {
            plan.record(new RoomChange.CallEnded(EndReason.LAST_PARTICIPANT_LEFT, plan.now));
        }
    }

    private void endStream(Plan plan, Participant publisher, String streamId) {
        for (Participant subscriber : List.copyOf(plan.state.participants().values())) {
            Subscription subscription = subscriber.subscriptions().get(streamId);
            if (subscription != null) {
                endSubscription(plan, subscriber, subscription);
            }
        }
        PublishedStream stream = publisher.streams().get(streamId);
        plan.release(stream.endpointId(), new ObjectTags(plan.state.roomId(), publisher.participantId(), streamId));
        plan.record(new RoomChange.StreamUnpublished(publisher.participantId(), streamId));
    }

    private void endSubscription(Plan plan, Participant subscriber, Subscription subscription) {
        plan.release(subscription.endpointId(),
                new ObjectTags(plan.state.roomId(), subscriber.participantId(), subscription.streamId()));
        plan.record(new RoomChange.StreamUnsubscribed(subscriber.participantId(), subscription.streamId()));
    }

    private static PublishedStream ownStream(Plan plan, Participant participant, String streamId) {
        PublishedStream stream = participant.streams().get(streamId);
        if (stream != null) {
            return stream;
        }
        if (plan.state.publisherOf(streamId).isPresent()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "stream " + streamId + " is another participant's");
        }
        throw noSuchStream(streamId);
    }

    private static Participant member(Plan plan, RoomCommand command) {
        return plan.state.participant(command.participantId())
                .filter(p -> p.gatewayId().equals(command.gatewayId()) && p.connectionId().equals(command.connectionId()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND,
                        "not a participant of room " + plan.state.roomId() + ": join or resume first"));
    }

    private static ProtocolException noSuchStream(String streamId) {
        return new ProtocolException(ErrorCode.NOT_FOUND, "no stream " + streamId + " in this room");
    }

    private static boolean hasMedia(String sdp, String type) {
        return sdp.contains("\nm=" + type + " ");
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A decision being made: the state so far and everything the room will have to do. */
    private final class Plan {
        private final Instant now;
        private final RoomState initial;
        private RoomState state;
        private Object answer;
        private final List<RoomChange> changes = new ArrayList<>();
        private final List<RoomEvent> events = new ArrayList<>();
        private final List<Decision.Delivery> deliveries = new ArrayList<>();
        private final List<Decision.Release> releases = new ArrayList<>();
        private final List<Decision.Release> created = new ArrayList<>();

        Plan(RoomState state, Instant now) {
            this.initial = state;
            this.state = state;
            this.now = now;
        }

        void record(RoomChange change) {
            String callId = state.callId();
            state = state.apply(change);
            changes.add(change);
            String eventCallId = state.callId() != null ? state.callId() : callId;
            change.event().ifPresent(data ->
                    events.add(RoomEvent.of(state.roomId(), eventCallId, state.sequence(), now, data)));
        }

        void deliver(Participant participant, ServerNotification notification) {
            deliveries.add(new Decision.Delivery(participant.gatewayId(), participant.connectionId(), notification));
        }

        void created(String objectId, ObjectTags tags) {
            created.add(new Decision.Release(objectId, tags, state.mediaServer()));
        }

        void release(String objectId, ObjectTags tags) {
            releases.add(new Decision.Release(objectId, tags, state.mediaServer()));
        }

        Decision decision(GatewayMessage.Body answer) {
            return new Decision(state, changes, events, answer, deliveries, releases, created);
        }

        /** Nothing changes; what this command created on the media server is given back. */
        Decision failed(RoomCommand command, ErrorCode code, String message) {
            // A warm endpoint the command took may be half negotiated: it goes with the rest, out of the pool.
            List<RoomChange> undo = initial.warmEndpoints().stream()
                    .filter(id -> created.stream().anyMatch(c -> c.objectId().equals(id)))
                    .<RoomChange>map(RoomChange.WarmEndpointTaken::new).toList();
            RoomState after = initial;
            for (RoomChange change : undo) {
                after = after.apply(change);
            }
            return new Decision(after, undo, List.of(),
                    new GatewayMessage.Failure(command.commandId(), code.code(), message), List.of(), created, List.of());
        }
    }
}
