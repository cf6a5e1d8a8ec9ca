package dev.switchboard.room.room;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.contracts.protocol.StreamKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything a room is, as backed up to {@code room-state}: who is in it, what they publish and receive,
 * the Kurento objects that carry it, and the replies to the latest commands (so a command delivered
 * twice is answered, not done twice). Immutable; {@link #apply} is the only way it changes.
 *
 * @param pipelineId Kurento MediaPipeline of the room, null until the first join
 * @param callId     the call in progress, null between calls
 * @param version    the status version clients see, one more with every change
 * @param sequence   number of the last event of the current call
 * @param lastEvents the events of the latest change, backed up with it: a room taken over after a crash
 *                   publishes them again, so none is lost between the backup and its publication
 * @param mediaServer   the media server the pipeline is on (its URL); null in backups from before there
 *                      were several, meaning the first configured
 * @param warmEndpoints endpoints of the pipeline created ahead of need, tagged and listened to, for the
 *                      next publish or subscription
 * @param earlyCandidates ICE candidates for endpoints that do not exist yet, applied when they do; null in
 *                        backups from before they were kept there
 * @param format        the format of the backup: a backup of this build's major version is read whatever its
 *                      minor, and becomes this build's format, without what this build does not know
 */
public record RoomState(
        String roomId,
        String pipelineId,
        String callId,
        Instant callStartedAt,
        long version,
        long sequence,
        Map<String, Participant> participants,
        List<HandledCommand> handledCommands,
        List<RoomEvent> lastEvents,
        String mediaServer,
        List<String> warmEndpoints,
        CandidateBuffer earlyCandidates,
        FormatVersion format) {

    /** How many answered commands a room remembers to recognise a redelivery. */
    static final int REMEMBERED_COMMANDS = 128;

    public RoomState {
        FormatVersion.requireReadable(format, "the backup of room " + roomId);
        format = FormatVersion.CURRENT;
        participants = Collections2.copyOf(participants);
        handledCommands = List.copyOf(handledCommands);
        // An event of a type this build does not know cannot be published again: it could not write it.
        lastEvents = lastEvents == null ? List.of() : lastEvents.stream().filter(event -> event.data() != null).toList();
        warmEndpoints = warmEndpoints == null ? List.of() : List.copyOf(warmEndpoints);
        earlyCandidates = earlyCandidates == null ? CandidateBuffer.EMPTY : earlyCandidates;
    }

    /** A state as this build writes it. */
    public RoomState(String roomId, String pipelineId, String callId, Instant callStartedAt, long version, long sequence,
                     Map<String, Participant> participants, List<HandledCommand> handledCommands,
                     List<RoomEvent> lastEvents, String mediaServer, List<String> warmEndpoints,
                     CandidateBuffer earlyCandidates) {
        this(roomId, pipelineId, callId, callStartedAt, version, sequence, participants, handledCommands, lastEvents,
                mediaServer, warmEndpoints, earlyCandidates, FormatVersion.CURRENT);
    }

    public static RoomState empty(String roomId) {
        return new RoomState(roomId, null, null, null, 0, 0, Map.of(), List.of(), List.of(), null, List.of(),
                CandidateBuffer.EMPTY);
    }

    public record Participant(
            String participantId,
            String userId,
            String name,
            JsonNode metadata,
            String resumeToken,
            String gatewayId,
            String connectionId,
            boolean connected,
            Instant joinedAt,
            Instant disconnectedAt,
            Map<String, PublishedStream> streams,
            Map<String, Subscription> subscriptions) {

        public Participant {
            streams = Collections2.copyOf(streams);
            subscriptions = Collections2.copyOf(subscriptions);
        }

        Participant withStreams(UnaryOperator<Map<String, PublishedStream>> change) {
            return new Participant(participantId, userId, name, metadata, resumeToken, gatewayId, connectionId,
                    connected, joinedAt, disconnectedAt, change.apply(new LinkedHashMap<>(streams)), subscriptions);
        }

        Participant withSubscriptions(UnaryOperator<Map<String, Subscription>> change) {
            return new Participant(participantId, userId, name, metadata, resumeToken, gatewayId, connectionId,
                    connected, joinedAt, disconnectedAt, streams, change.apply(new LinkedHashMap<>(subscriptions)));
        }

        Participant withConnection(String gateway, String connection, boolean isConnected, Instant since) {
            return new Participant(participantId, userId, name, metadata, resumeToken, gateway, connection,
                    isConnected, joinedAt, since, streams, subscriptions);
        }
    }

    /** A stream a participant publishes, received by its own WebRtcEndpoint. */
    public record PublishedStream(String streamId, StreamKind kind, String endpointId, boolean audio, boolean video) {
    }

    /** A participant's reception of another's stream, through a WebRtcEndpoint of its own. */
    public record Subscription(String streamId, String endpointId) {
    }

    /**
     * The answer given to a command, kept to answer its redelivery the same way. {@code answer}, or its result, is
     * null when a newer build gave one of a kind this build does not know.
     */
    public record HandledCommand(String commandId,
                                 @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
                                         property = "kind")
                                 GatewayMessage.Body answer) {

        /** The answer to repeat: one this build cannot repeat is refused, rather than the command done twice. */
        GatewayMessage.Body repeated() {
            boolean known = answer != null && !(answer instanceof GatewayMessage.Reply reply && reply.result() == null);
            return known ? answer : new GatewayMessage.Failure(commandId, ErrorCode.UNAVAILABLE.code(),
                    "this request was answered by a newer room-service, whose answer this one cannot repeat");
        }
    }

    public RoomState apply(RoomChange change) {
        RoomState next = switch (change) {
            case RoomChange.PipelineCreated c -> withMedia(c.mediaServer(), c.pipelineId(), List.of());
            case RoomChange.PipelineReleased c -> withMedia(mediaServer, null, List.of());
            case RoomChange.EndpointWarmed c -> withMedia(mediaServer, pipelineId, append(warmEndpoints, c.endpointId()));
            case RoomChange.WarmEndpointTaken c -> withMedia(mediaServer, pipelineId,
                    warmEndpoints.stream().filter(id -> !id.equals(c.endpointId())).toList());
            case RoomChange.CandidateBuffered c -> withEarlyCandidates(b -> b.with(c.candidate()));
            case RoomChange.MediaServerLost c -> this;
            case RoomChange.MediaServerRecovered c -> this;
            case RoomChange.CallStarted c -> new RoomState(roomId, pipelineId, c.callId(), c.at(), version, 0,
                    participants, handledCommands, lastEvents, mediaServer, warmEndpoints, earlyCandidates);
            case RoomChange.CallEnded c -> new RoomState(roomId, pipelineId, null, null, version, sequence,
                    participants, handledCommands, lastEvents, mediaServer, warmEndpoints, earlyCandidates);
            case RoomChange.ParticipantJoined c -> withParticipants(p -> {
                p.put(c.participant().participantId(), c.participant());
                return p;
            });
            case RoomChange.ParticipantLeft c -> withParticipants(p -> {
                p.remove(c.participantId());
                return p;
            }).withEarlyCandidates(b -> b.without(e -> e.participantId().equals(c.participantId())));
            case RoomChange.ParticipantDisconnected c -> withParticipant(c.participantId(),
                    p -> p.withConnection(p.gatewayId(), p.connectionId(), false, c.at()));
            case RoomChange.ParticipantReconnected c -> withParticipant(c.participantId(),
                    p -> p.withConnection(c.gatewayId(), c.connectionId(), true, null));
            case RoomChange.StreamPublished c -> withParticipant(c.participantId(), p -> p.withStreams(s -> {
                s.put(c.stream().streamId(), c.stream());
                return s;
            }));
            case RoomChange.StreamUnpublished c -> withParticipant(c.participantId(), p -> p.withStreams(s -> {
                s.remove(c.streamId());
                return s;
            })).withEarlyCandidates(b -> b.without(e -> e.streamId().equals(c.streamId())));
            case RoomChange.StreamMediaChanged c -> withParticipant(c.participantId(), p -> p.withStreams(s -> {
                s.computeIfPresent(c.streamId(), (id, old) ->
                        new PublishedStream(id, old.kind(), old.endpointId(), c.audio(), c.video()));
                return s;
            }));
            // The subscriber's early candidates went to its new endpoint with the subscription.
            case RoomChange.StreamSubscribed c -> withParticipant(c.participantId(), p -> p.withSubscriptions(s -> {
                s.put(c.subscription().streamId(), c.subscription());
                return s;
            })).withEarlyCandidates(b -> b.without(e -> e.isFor(c.participantId(), c.subscription().streamId())));
            case RoomChange.StreamUnsubscribed c -> withParticipant(c.participantId(), p -> p.withSubscriptions(s -> {
                s.remove(c.streamId());
                return s;
            }));
        };
        long nextSequence = change.event().isPresent() ? next.sequence + 1 : next.sequence;
        // The warm pool and early candidates are the room's own: participants see no new version for them.
        long nextVersion = change.changesStatus() ? version + 1 : version;
        return new RoomState(roomId, next.pipelineId, next.callId, next.callStartedAt, nextVersion, nextSequence,
                next.participants, next.handledCommands, lastEvents, next.mediaServer, next.warmEndpoints,
                next.earlyCandidates);
    }

    /** Remembers the answer to a command; the oldest answers are forgotten first. */
    public RoomState remember(String commandId, GatewayMessage.Body answer) {
        List<HandledCommand> handled = new ArrayList<>(handledCommands);
        handled.add(new HandledCommand(commandId, answer));
        if (handled.size() > REMEMBERED_COMMANDS) {
            handled.subList(0, handled.size() - REMEMBERED_COMMANDS).clear();
        }
        return new RoomState(roomId, pipelineId, callId, callStartedAt, version, sequence, participants, handled,
                lastEvents, mediaServer, warmEndpoints, earlyCandidates);
    }

    /** The same state, carrying the events of the change that led to it. */
    public RoomState withLastEvents(List<RoomEvent> events) {
        return new RoomState(roomId, pipelineId, callId, callStartedAt, version, sequence, participants,
                handledCommands, events, mediaServer, warmEndpoints, earlyCandidates);
    }

    public Optional<GatewayMessage.Body> answerTo(String commandId) {
        return handledCommands.stream().filter(h -> h.commandId().equals(commandId))
                .map(HandledCommand::repeated).findFirst();
    }

    public Optional<Participant> participant(String participantId) {
        return Optional.ofNullable(participantId).map(participants::get);
    }

    /** The participant that publishes {@code streamId}. */
    public Optional<Participant> publisherOf(String streamId) {
        return participants.values().stream().filter(p -> p.streams().containsKey(streamId)).findFirst();
    }

    public boolean isEmpty() {
        return participants.isEmpty();
    }

    /** The room as its participants see it. */
    public RoomStatus status() {
        return new RoomStatus(roomId, callId, version, callStartedAt, participants.values().stream()
                .map(p -> new RoomStatus.Participant(p.participantId(), p.userId(), p.name(), p.connected(),
                        p.joinedAt(), p.streams().values().stream()
                        .map(s -> new RoomStatus.Stream(s.streamId(), s.kind(), s.audio(), s.video()))
                        .toList()))
                .toList());
    }

    /** Every endpoint the room holds, warm ones included: its pipeline's elements that are no orphans. */
    public java.util.Set<String> endpointsHeld() {
        java.util.Set<String> used = new java.util.HashSet<>(warmEndpoints);
        participants.values().forEach(p -> {
            p.streams().values().forEach(s -> used.add(s.endpointId()));
            p.subscriptions().values().forEach(s -> used.add(s.endpointId()));
        });
        return used;
    }

    private RoomState withMedia(String server, String pipeline, List<String> warm) {
        return new RoomState(roomId, pipeline, callId, callStartedAt, version, sequence, participants, handledCommands,
                lastEvents, server, warm, earlyCandidates);
    }

    private static List<String> append(List<String> list, String element) {
        List<String> longer = new ArrayList<>(list);
        longer.add(element);
        return longer;
    }

    private RoomState withParticipants(UnaryOperator<Map<String, Participant>> change) {
        return new RoomState(roomId, pipelineId, callId, callStartedAt, version, sequence,
                change.apply(new LinkedHashMap<>(participants)), handledCommands, lastEvents, mediaServer, warmEndpoints,
                earlyCandidates);
    }

    /** One more early candidate arrived, or some are gone: their endpoint came, or never will. */
    private RoomState withEarlyCandidates(UnaryOperator<CandidateBuffer> change) {
        return new RoomState(roomId, pipelineId, callId, callStartedAt, version, sequence, participants,
                handledCommands, lastEvents, mediaServer, warmEndpoints, change.apply(earlyCandidates));
    }

    private RoomState withParticipant(String participantId, UnaryOperator<Participant> change) {
        return withParticipants(p -> {
            p.computeIfPresent(participantId, (id, participant) -> change.apply(participant));
            return p;
        });
    }

    /** Insertion-ordered immutable copies: join order is the order clients see. */
    static final class Collections2 {
        private Collections2() {
        }

        static <K, V> Map<K, V> copyOf(Map<K, V> map) {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }
    }
}
