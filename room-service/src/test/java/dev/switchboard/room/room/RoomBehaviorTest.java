package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.room.kurento.MediaServer.ObjectTags;
import dev.switchboard.room.kurento.MediaServers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Room logic as given state, a command, the expected changes, events and answers; no Kafka, no Kurento. */
class RoomBehaviorTest {

    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final ObjectTags ROOM_TAGS = ObjectTags.room("room-1");

    private final FakeMediaServer media = new FakeMediaServer();
    private final RoomBehavior behavior = new RoomBehavior(media.alone(), event -> { }, new WarmPool(), 0);
    private RoomState state = RoomState.empty("room-1");

    @Test
    void firstJoinCreatesPipelineAndStartsCall() {
        Decision joined = run("conn-a", null, new RoomCommand.Join("alice", "Alice", null));

        assertThat(joined.changes()).extracting(Object::getClass).containsExactly(
                RoomChange.PipelineCreated.class, RoomChange.CallStarted.class, RoomChange.ParticipantJoined.class);
        assertThat(joined.events()).extracting(RoomEvent::type).containsExactly("call.started", "participant.joined");
        assertThat(joined.events()).extracting(RoomEvent::sequence).containsExactly(1L, 2L);
        RequestResult.Joined result = result(joined, RequestResult.Joined.class);
        assertThat(result.room().participants()).singleElement().satisfies(p -> {
            assertThat(p.userId()).isEqualTo("alice");
            assertThat(p.connected()).isTrue();
        });
        assertThat(result.room().version()).isEqualTo(state.version());
        assertThat(media.live).hasSize(1);
    }

    @Test
    void publishNegotiatesOneEndpointAndSubscriberIsConnectedToIt() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");

        RequestResult.Published published = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, StreamKind.CAMERA)),
                RequestResult.Published.class);
        String publisherEndpoint = state.participants().get(alice).streams().get(published.streamId()).endpointId();
        assertThat(published.sdpAnswer()).contains("answer to " + publisherEndpoint);
        assertThat(media.calls).containsSubsequence("processOffer " + publisherEndpoint, "gatherCandidates " + publisherEndpoint);
        assertThat(state.status().participants().get(0).streams()).singleElement()
                .satisfies(s -> assertThat(s.audio() && s.video()).isTrue());

        Decision subscribed = run("conn-b", bob, new RoomCommand.Subscribe(published.streamId(), OFFER));

        String subscriberEndpoint = state.participants().get(bob).subscriptions().get(published.streamId()).endpointId();
        assertThat(media.calls).contains("connect " + publisherEndpoint + " -> " + subscriberEndpoint);
        assertThat(subscribed.events()).extracting(RoomEvent::type).containsExactly("stream.subscribed");
    }

    @Test
    void candidatesArrivingBeforeTheirEndpointAreAppliedInOrderOnceItExists() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");
        String streamId = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class).streamId();

        long version = state.version();

        Decision buffered = run("conn-b", bob,
                new RoomCommand.AddIceCandidate(streamId, new IceCandidate("candidate:first", "0", 0)));
        run("conn-b", bob, new RoomCommand.AddIceCandidate(streamId, new IceCandidate("candidate:second", "0", 0)));

        assertThat(media.calls).noneMatch(c -> c.startsWith("addIceCandidate"));
        // Part of the state, so backed up with it, but nothing participants see: no event, no new version.
        assertThat(buffered.changes()).singleElement().isInstanceOf(RoomChange.CandidateBuffered.class);
        assertThat(buffered.events()).isEmpty();
        assertThat(state.version()).isEqualTo(version);
        assertThat(state.earlyCandidates().of(bob, streamId)).extracting(IceCandidate::candidate)
                .containsExactly("candidate:first", "candidate:second");

        run("conn-b", bob, new RoomCommand.Subscribe(streamId, OFFER));

        String endpoint = state.participants().get(bob).subscriptions().get(streamId).endpointId();
        assertThat(media.calls).containsSubsequence("processOffer " + endpoint,
                "addIceCandidate " + endpoint + " candidate:first", "addIceCandidate " + endpoint + " candidate:second");
        assertThat(state.earlyCandidates().candidates()).isEmpty();
    }

    @Test
    void earlyCandidatesAreBoundedAndGoWithTheirStreamOrTheirSender() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");
        String carol = join("conn-c", "carol");
        String camera = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class).streamId();
        String screen = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, StreamKind.SCREEN)),
                RequestResult.Published.class).streamId();

        for (int i = 0; i <= CandidateBuffer.MAX_PER_STREAM; i++) {
            run("conn-b", bob, new RoomCommand.AddIceCandidate(camera, new IceCandidate("candidate:" + i, "0", 0)));
        }
        run("conn-c", carol, new RoomCommand.AddIceCandidate(camera, new IceCandidate("candidate:carol", "0", 0)));
        run("conn-c", carol, new RoomCommand.AddIceCandidate(screen, new IceCandidate("candidate:carol", "0", 0)));
        Decision unknown = run("conn-c", carol, new RoomCommand.AddIceCandidate("no-such-stream",
                new IceCandidate("candidate:nowhere", "0", 0)));

        assertThat(state.earlyCandidates().of(bob, camera)).hasSize(CandidateBuffer.MAX_PER_STREAM);
        assertThat(unknown.answer()).isInstanceOf(GatewayMessage.Reply.class);
        assertThat(unknown.changes()).isEmpty();

        run("conn-c", carol, new RoomCommand.Leave());
        assertThat(state.earlyCandidates().candidates()).extracting(CandidateBuffer.Early::participantId).containsOnly(bob);
        run("conn-a", alice, new RoomCommand.Unpublish(camera));
        assertThat(state.earlyCandidates().candidates()).isEmpty();
    }

    @Test
    void earlyCandidatesForTooManyStreamsAreNotKept() {
        CandidateBuffer full = CandidateBuffer.EMPTY;
        for (int i = 0; i < CandidateBuffer.MAX_STREAMS; i++) {
            full = full.with(new CandidateBuffer.Early("p", "stream-" + i, new IceCandidate("candidate:1", "0", 0)));
        }

        assertThat(full.accepts("p", "one-more")).isFalse();
        assertThat(full.accepts("p", "stream-0")).isTrue();
    }

    @Test
    void leavingReleasesEverythingAndTheLastLeaveEndsTheCall() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");
        String streamId = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class).streamId();
        run("conn-b", bob, new RoomCommand.Subscribe(streamId, OFFER));

        Decision aliceLeft = run("conn-a", alice, new RoomCommand.Leave());
        releaseAll(aliceLeft);

        assertThat(aliceLeft.events()).extracting(RoomEvent::type)
                .containsExactly("stream.unsubscribed", "stream.unpublished", "participant.left");
        assertThat(aliceLeft.events().get(2).data()).isEqualTo(new EventData.ParticipantLeft(alice, "leaveRoom"));
        assertThat(media.live).containsOnlyKeys(state.pipelineId());

        Decision bobLeft = run("conn-b", bob, new RoomCommand.Leave());
        assertThat(bobLeft.events()).extracting(RoomEvent::type).containsExactly("participant.left", "call.ended");
        assertThat(bobLeft.events().get(1).data()).isEqualTo(new EventData.CallEnded("lastParticipantLeft", T0));
        assertThat(bobLeft.events()).allMatch(e -> e.callid() != null);

        Decision closed = behavior.emptyTimeout(state, T0);
        state = closed.state();
        releaseAll(closed);
        assertThat(media.live).isEmpty();
        assertThat(state.pipelineId()).isNull();
    }

    @Test
    void eventSequenceOfACallHasNoGaps() {
        String alice = join("conn-a", "alice");
        List<RoomEvent> events = new java.util.ArrayList<>(List.of());
        events.addAll(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)).events());
        events.addAll(run("conn-a", alice, new RoomCommand.Leave()).events());

        assertThat(events).extracting(RoomEvent::sequence).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void badOfferIsTheClientsErrorAndLeavesNothingBehind() {
        String alice = join("conn-a", "alice");
        RoomState before = state;

        Decision failed = run("conn-a", alice, new RoomCommand.Publish("v=0\r\nunparseable", null));

        assertThat(failed.answer()).isInstanceOfSatisfying(GatewayMessage.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_PARAMS.code()));
        assertThat(failed.changes()).isEmpty();
        assertThat(state).isEqualTo(before);
        assertThat(failed.releases()).hasSize(1);
    }

    @Test
    void participantsActOnlyOnTheirOwnStreamsAndOnlyWhenJoined() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");
        String streamId = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class).streamId();

        assertThat(failure(run("conn-b", bob, new RoomCommand.Unpublish(streamId))).code()).isEqualTo(4003);
        assertThat(failure(run("conn-x", "stranger", new RoomCommand.Leave())).code()).isEqualTo(4004);
        assertThat(failure(run("conn-b", alice, new RoomCommand.Leave())).code()).isEqualTo(4004);
        assertThat(failure(run("conn-b", bob, new RoomCommand.Subscribe("no-such-stream", OFFER))).code()).isEqualTo(4004);
    }

    @Test
    void droppedConnectionWaitsForResumeThenLeavesWithNetworkDisconnect() {
        String alice = join("conn-a", "alice");
        join("conn-b", "bob");
        String token = state.participants().get(alice).resumeToken();

        Decision lost = run("conn-a", alice, new RoomCommand.ConnectionLost());
        assertThat(lost.answer()).isNull();
        assertThat(lost.events()).extracting(RoomEvent::type).containsExactly("participant.disconnected");
        assertThat(state.status().participants().get(0).connected()).isFalse();

        Decision resumed = run("conn-a2", null, new RoomCommand.Resume(token));
        assertThat(result(resumed, RequestResult.Resumed.class).participantId()).isEqualTo(alice);
        assertThat(state.participants().get(alice).connectionId()).isEqualTo("conn-a2");

        run("conn-a2", alice, new RoomCommand.ConnectionLost());
        Decision expired = behavior.graceExpired(state, alice, state.participants().get(alice).disconnectedAt(), T0);
        assertThat(expired.events()).extracting(RoomEvent::data)
                .containsExactly(new EventData.ParticipantLeft(alice, "networkDisconnect"));
    }

    @Test
    void whileTheMediaServerIsAwayMediaWorkIsRefusedAndACallThatItKeptGoesOn() {
        String alice = join("conn-a", "alice");
        assertThat(behavior.mediaServerLost(state, T0).events()).extracting(RoomEvent::type)
                .containsExactly("media-server.lost");
        media.available = false;

        Decision refused = run("conn-a", alice, new RoomCommand.Publish(OFFER, null));
        assertThat(failure(refused).code()).isEqualTo(5003);
        assertThat(failure(refused).message()).contains("unreachable");
        assertThat(refused.releases()).isEmpty();

        media.available = true;
        Decision back = behavior.mediaServerBack(state, T0);
        assertThat(back.events()).extracting(RoomEvent::data).containsExactly(new EventData.MediaServerRecovered(false, media.id()));
        assertThat(back.deliveries()).isEmpty();
        assertThat(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)).answer()).isInstanceOf(GatewayMessage.Reply.class);
    }

    @Test
    void mediaServerThatCameBackEmptyGetsANewPipelineAndEveryStreamIsNegotiatedAgain() {
        String alice = join("conn-a", "alice");
        String bob = join("conn-b", "bob");
        String streamId = result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class).streamId();
        run("conn-b", bob, new RoomCommand.Subscribe(streamId, OFFER));
        String oldPipeline = state.pipelineId();
        media.forgetEverything();

        Decision back = behavior.mediaServerBack(state, T0);
        state = back.state();

        assertThat(back.deliveries()).extracting(Decision.Delivery::connectionId, Decision.Delivery::notification)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("conn-a", new ServerNotification.Renegotiate(streamId, "mediaServerRestarted")),
                        org.assertj.core.groups.Tuple.tuple("conn-b", new ServerNotification.Renegotiate(streamId, "mediaServerRestarted")));
        assertThat(back.events()).extracting(RoomEvent::type)
                .containsExactly("stream.unsubscribed", "stream.unpublished", "media-server.recovered");
        assertThat(back.events().getLast().data()).isEqualTo(new EventData.MediaServerRecovered(true, media.id()));
        assertThat(state.pipelineId()).isNotEqualTo(oldPipeline).isIn(media.live.keySet());
        assertThat(state.status().participants()).allSatisfy(p -> assertThat(p.streams()).isEmpty());
        assertThat(result(run("conn-a", alice, new RoomCommand.Publish(OFFER, null)), RequestResult.Published.class)
                .streamId()).isNotEqualTo(streamId);
    }

    @Test
    void publishNegotiatesAWarmEndpointInOneCallAndWarmingIsNoNewVersion() {
        String alice = join("conn-a", "alice");
        long version = state.version();
        String warm = warm(behavior, media);
        assertThat(state.version()).isEqualTo(version);
        media.calls.clear();

        Decision published = run("conn-a", alice, new RoomCommand.Publish(OFFER, null));

        String streamId = result(published, RequestResult.Published.class).streamId();
        assertThat(state.participants().get(alice).streams().get(streamId).endpointId()).isEqualTo(warm);
        assertThat(state.warmEndpoints()).isEmpty();
        assertThat(media.calls).containsExactly("processOffer " + warm, "gatherCandidates " + warm);
        assertThat(media.live.get(warm).participantId()).isEqualTo(alice);
    }

    @Test
    void aWarmEndpointThatAFailedCommandTookLeavesThePoolAndIsReleased() {
        String alice = join("conn-a", "alice");
        String warm = warm(behavior, media);

        Decision refused = run("conn-a", alice, new RoomCommand.Publish("unparseable", null));

        assertThat(failure(refused).code()).isEqualTo(ErrorCode.INVALID_PARAMS.code());
        assertThat(state.warmEndpoints()).isEmpty();
        assertThat(refused.releases()).extracting(Decision.Release::objectId).containsExactly(warm);
    }

    @Test
    void anEndpointThatArrivesForAnOldPipelineIsReleased() {
        join("conn-a", "alice");
        WarmPool pool = new WarmPool();
        RoomBehavior warming = new RoomBehavior(media.alone(), event -> { }, pool, 0);
        WarmPool.Warming late = new WarmPool.Warming("old-pipeline",
                media.createEndpoint("old-pipeline", ROOM_TAGS, event -> { }));
        pool.started(late);

        Decision arrived = warming.endpointWarmed(state, late, T0);

        assertThat(arrived.changes()).isEmpty();
        assertThat(arrived.releases()).extracting(Decision.Release::objectId).containsExactly(late.endpoint.join());
    }

    @Test
    void roomsArePlacedOnTheReachableServerHoldingFewestEndpoints() {
        FakeMediaServer busy = new FakeMediaServer("kms-busy");
        FakeMediaServer idle = new FakeMediaServer("kms-idle");
        busy.createEndpoint(busy.createPipeline(ROOM_TAGS), ROOM_TAGS, e -> { });
        RoomBehavior placing = new RoomBehavior(new MediaServers(List.of(busy, idle)),
                event -> { }, new WarmPool(), 0);

        join(placing, "conn-a", "alice");
        assertThat(state.mediaServer()).isEqualTo("kms-idle");

        idle.available = false;
        state = RoomState.empty("room-2");
        join(placing, "conn-b", "bob");
        assertThat(state.mediaServer()).isEqualTo("kms-busy");
    }

    @Test
    void aRoomWhoseServerStaysAwayMovesToAnotherAndEveryStreamIsNegotiatedAgain() {
        FakeMediaServer first = new FakeMediaServer("kms-1");
        FakeMediaServer second = new FakeMediaServer("kms-2");
        RoomBehavior twoServers = new RoomBehavior(new MediaServers(List.of(first, second)),
                event -> { }, new WarmPool(), 0);
        String alice = join(twoServers, "conn-a", "alice");
        String bob = join(twoServers, "conn-b", "bob");
        String streamId = result(run(twoServers, "conn-a", alice, new RoomCommand.Publish(OFFER, null)),
                RequestResult.Published.class).streamId();
        run(twoServers, "conn-b", bob, new RoomCommand.Subscribe(streamId, OFFER));
        String oldPipeline = state.pipelineId();
        assertThat(state.mediaServer()).isEqualTo("kms-1");
        first.available = false;

        Decision moved = twoServers.moveMediaServer(state, T0);
        state = moved.state();

        assertThat(state.mediaServer()).isEqualTo("kms-2");
        assertThat(state.pipelineId()).isIn(second.live.keySet());
        assertThat(moved.releases()).filteredOn(r -> r.objectId().equals(oldPipeline))
                .singleElement().extracting(Decision.Release::mediaServer).isEqualTo("kms-1");
        assertThat(moved.deliveries()).extracting(Decision.Delivery::notification).containsOnly(
                new ServerNotification.Renegotiate(streamId, "mediaServerLost"));
        assertThat(moved.events().getLast().data()).isEqualTo(new EventData.MediaServerRecovered(true, "kms-2"));
        assertThat(state.participants()).hasSize(2);
        assertThat(result(run(twoServers, "conn-a", alice, new RoomCommand.Publish(OFFER, null)),
                RequestResult.Published.class).streamId()).isNotEqualTo(streamId);
        assertThat(second.endpointsHeld()).isEqualTo(1);
    }

    @Test
    void anEmptyRoomForgetsItsPipelineWhenTheMediaServerCameBackEmpty() {
        String alice = join("conn-a", "alice");
        run("conn-a", alice, new RoomCommand.Leave());
        media.forgetEverything();

        Decision back = behavior.mediaServerBack(state, T0);

        assertThat(back.state().pipelineId()).isNull();
        assertThat(media.live).isEmpty();
    }

    @Test
    void backupRoundTripsThroughJson() {
        String alice = join("conn-a", "alice");
        run("conn-a", alice, new RoomCommand.Publish(OFFER, StreamKind.SCREEN));
        String bob = join("conn-b", "bob");
        String streamId = state.participants().get(alice).streams().keySet().iterator().next();
        run("conn-b", bob, new RoomCommand.AddIceCandidate(streamId, new IceCandidate("candidate:early", "0", 0)));
        RoomState remembered = state.remember("c-1", new GatewayMessage.Reply("c-1", new RequestResult.Done()));

        assertThat(Json.read(Json.writeBytes(remembered), RoomState.class)).isEqualTo(remembered);
        assertThat(remembered.earlyCandidates().candidates()).hasSize(1);
    }

    private String join(String connectionId, String userId) {
        return join(behavior, connectionId, userId);
    }

    private String join(RoomBehavior room, String connectionId, String userId) {
        return result(run(room, connectionId, null, new RoomCommand.Join(userId, userId, null)), RequestResult.Joined.class)
                .participantId();
    }

    private Decision run(String connectionId, String participantId, RoomCommand.Command command) {
        return run(behavior, connectionId, participantId, command);
    }

    private Decision run(RoomBehavior room, String connectionId, String participantId, RoomCommand.Command command) {
        Decision decision = room.decide(state, new RoomCommand(UUID.randomUUID().toString(), state.roomId(), "gw-1",
                connectionId, participantId, T0, command), T0);
        state = decision.state();
        return decision;
    }

    /** An endpoint created ahead of need arrives in the room's pool, as the room's actor has it done. */
    private String warm(RoomBehavior room, FakeMediaServer server) {
        WarmPool.Warming endpoint = new WarmPool.Warming(state.pipelineId(),
                server.createEndpoint(state.pipelineId(), ROOM_TAGS, event -> { }));
        state = room.endpointWarmed(state, endpoint, T0).state();
        return endpoint.endpoint.join();
    }


    private void releaseAll(Decision decision) {
        decision.releases().forEach(r -> media.release(r.objectId(), r.tags()));
    }

    private static <T> T result(Decision decision, Class<T> type) {
        assertThat(decision.answer()).isInstanceOf(GatewayMessage.Reply.class);
        return type.cast(((GatewayMessage.Reply) decision.answer()).result());
    }

    private static GatewayMessage.Failure failure(Decision decision) {
        assertThat(decision.answer()).isInstanceOf(GatewayMessage.Failure.class);
        return (GatewayMessage.Failure) decision.answer();
    }
}
