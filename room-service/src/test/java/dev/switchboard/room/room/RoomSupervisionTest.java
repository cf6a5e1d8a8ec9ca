package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.IceCandidate;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import dev.switchboard.room.kurento.MediaServer;
import dev.switchboard.room.kurento.MediaServerAvailability;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rooms under their supervisor: a failing room restarts from its backup, alone; one that keeps failing closes. */
class RoomSupervisionTest {

    private static final String OFFER = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
    private static final RoomSupervisor.Settings SETTINGS = new RoomSupervisor.Settings(Duration.ofSeconds(20),
            Duration.ofSeconds(30), 3, Duration.ofSeconds(10), 0, Duration.ofSeconds(10));

    private final FakeMediaServer media = new FakeMediaServer();
    private final RecordingOutput output = new RecordingOutput();
    private final java.util.Map<String, String> connections = new java.util.concurrent.ConcurrentHashMap<>();
    private final RoomSupervisor supervisor = new RoomSupervisor(media.alone(), output, Clock.systemUTC(), SETTINGS);

    @Test
    void mediaServerFailureRestartsThatRoomFromItsBackupAndNoOtherRoom() {
        String alice = join("room-a", "alice");
        String bob = join("room-b", "bob");
        RoomState backupBefore = output.backups.get("room-a").orElseThrow();

        media.failing.add("createEndpoint");
        GatewayMessage.Body failed = send("room-a", alice, new RoomCommand.Publish(OFFER, null));

        assertThat(failed).isInstanceOfSatisfying(GatewayMessage.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(5003);
            assertThat(f.message()).contains("createEndpoint");
        });
        assertThat(output.backups.get("room-a")).contains(backupBefore);
        assertThat(send("room-b", bob, new RoomCommand.Publish(OFFER, null))).isInstanceOf(GatewayMessage.Reply.class);
        assertThat(send("room-a", alice, new RoomCommand.Publish(OFFER, null))).isInstanceOf(GatewayMessage.Reply.class);
        assertThat(output.eventsOf("room-a")).extracting(RoomEvent::type).doesNotContain("call.ended");
    }

    @Test
    void roomsKeepWarmEndpointsBackedUpAndGiveThemBackWhenTheyClose() {
        RoomSupervisor warm = new RoomSupervisor(media.alone(), output, Clock.systemUTC(),
                new RoomSupervisor.Settings(Duration.ofSeconds(20), Duration.ofSeconds(30), 3, Duration.ofSeconds(10),
                        2, Duration.ofSeconds(10)));
        String alice = join(warm, "room-w", "alice");
        // Two spares, and one for alice, who has yet to publish.
        await().untilAsserted(() -> assertThat(media.endpointsHeld()).isEqualTo(3));
        media.calls.clear();

        GatewayMessage.Body published = send(warm, "room-w", alice, new RoomCommand.Publish(OFFER, null));

        String streamId = ((RequestResult.Published) ((GatewayMessage.Reply) published).result()).streamId();
        RoomState backup = output.backups.get("room-w").orElseThrow();
        String endpoint = backup.participants().get(alice).streams().get(streamId).endpointId();
        assertThat(media.calls).first().isEqualTo("processOffer " + endpoint);
        assertThat(backup.warmEndpoints()).hasSize(2).doesNotContain(endpoint);
        // Alice published: two spares are wanted now, besides her stream's endpoint.
        await().untilAsserted(() -> assertThat(media.endpointsHeld()).isEqualTo(3));

        send(warm, "room-w", alice, new RoomCommand.CloseRoom("closedByAdmin"));
        await().untilAsserted(() -> assertThat(media.live).isEmpty());
    }

    @Test
    void roomWhoseBackupCannotBeReadIsClosedWithoutLeavingItsPipeline() {
        join("room-u", "alice");
        join("room-v", "bob");
        RoomSupervisor newOwner = new RoomSupervisor(media.alone(), output, Clock.systemUTC(),
                new RoomSupervisor.Settings(Duration.ofSeconds(20), Duration.ofSeconds(30), 3, Duration.ofSeconds(10),
                        0, Duration.ofSeconds(10)));

        newOwner.closeUnreadable("room-u");

        assertThat(media.live.values()).extracting(MediaServer.ObjectTags::roomId).doesNotContain("room-u").contains("room-v");
        assertThat(output.statuses.get("room-u")).isInstanceOf(RoomOutput.StatusUpdate.Gone.class);
    }

    @Test
    void roomThatKeepsFailingIsClosedAsCrashedAndReleasesEverything() {
        String alice = join("room-c", "alice");
        assertThat(send("room-c", alice, new RoomCommand.Publish(OFFER, null))).isInstanceOf(GatewayMessage.Reply.class);

        for (int i = 0; i < 4; i++) {
            media.failing.add("createEndpoint");
            send("room-c", alice, new RoomCommand.Publish(OFFER, null));
        }

        await().untilAsserted(() -> assertThat(output.backups.get("room-c")).isEmpty());
        assertThat(output.eventsOf("room-c")).extracting(RoomEvent::data)
                .contains(new EventData.ParticipantLeft(alice, "crashed"))
                .last().isInstanceOfSatisfying(EventData.CallEnded.class, e -> assertThat(e.reason()).isEqualTo("crashed"));
        assertThat(output.messages).anySatisfy(m -> assertThat(m.body())
                .isEqualTo(new GatewayMessage.Push(new ServerNotification.RoomClosed("crashed"))));
        assertThat(media.live).isEmpty();
        assertThat(supervisor.roomCount()).isZero();
    }

    @Test
    void roomTakenOverFromItsBackupReleasesWhatNoParticipantUsesAndRenegotiatesWhatIsGone() {
        String alice = join("room-d", "alice");
        String bob = join("room-d", "bob");
        GatewayMessage.Body published = send("room-d", alice, new RoomCommand.Publish(OFFER, null));
        String streamId = ((RequestResult.Published) ((GatewayMessage.Reply) published).result()).streamId();
        send("room-d", bob, new RoomCommand.Subscribe(streamId, OFFER));
        RoomState backup = output.backups.get("room-d").orElseThrow();
        String orphan = media.createEndpoint(backup.pipelineId(), MediaServer.ObjectTags.room("room-d"), e -> { }).join();
        String subscriberEndpoint = backup.participants().get(bob).subscriptions().get(streamId).endpointId();
        media.release(subscriberEndpoint, MediaServer.ObjectTags.room("room-d"));

        takeOver(backup);

        await().untilAsserted(() -> assertThat(media.live).doesNotContainKey(orphan));
        await().untilAsserted(() -> assertThat(output.messages).anySatisfy(m -> {
            assertThat(m.connectionId()).isEqualTo(connections.get(bob));
            assertThat(m.body()).isEqualTo(new GatewayMessage.Push(
                    new ServerNotification.Renegotiate(streamId, "mediaServerLostStream")));
        }));
        String publisherEndpoint = backup.participants().get(alice).streams().get(streamId).endpointId();
        assertThat(media.live).containsKeys(backup.pipelineId(), publisherEndpoint);
        assertThat(media.listeners).containsKey(publisherEndpoint);
    }

    @Test
    void candidatesSentBeforeASubscribeAreBackedUpAndReachTheEndpointAtTheNextOwner() {
        String alice = join("room-e", "alice");
        String bob = join("room-e", "bob");
        GatewayMessage.Body published = send("room-e", alice, new RoomCommand.Publish(OFFER, null));
        String streamId = ((RequestResult.Published) ((GatewayMessage.Reply) published).result()).streamId();
        long version = output.backups.get("room-e").orElseThrow().version();

        for (String candidate : List.of("candidate:first", "candidate:second")) {
            assertThat(send("room-e", bob, new RoomCommand.AddIceCandidate(streamId, new IceCandidate(candidate, "0", 0))))
                    .isInstanceOf(GatewayMessage.Reply.class);
        }

        // Answered only once backed up: the next owner has them, though participants saw no new version.
        RoomState backup = output.backups.get("room-e").orElseThrow();
        assertThat(backup.version()).isEqualTo(version);
        assertThat(backup.earlyCandidates().of(bob, streamId)).hasSize(2);
        RoomSupervisor successor = takeOver(backup);

        assertThat(send(successor, "room-e", bob, new RoomCommand.Subscribe(streamId, OFFER)))
                .isInstanceOf(GatewayMessage.Reply.class);
        String endpoint = output.backups.get("room-e").orElseThrow().participants().get(bob).subscriptions()
                .get(streamId).endpointId();
        assertThat(media.calls).containsSubsequence("processOffer " + endpoint,
                "addIceCandidate " + endpoint + " candidate:first", "addIceCandidate " + endpoint + " candidate:second");
        assertThat(output.backups.get("room-e").orElseThrow().earlyCandidates().candidates()).isEmpty();
    }

    @Test
    void anEmptyRoomGivesItsPipelineBackOnTimeThoughItsMediaServerWentAwayMeanwhile() {
        RoomSupervisor rooms = new RoomSupervisor(media.alone(), output, Clock.systemUTC(), new RoomSupervisor.Settings(
                Duration.ofSeconds(20), Duration.ofSeconds(2), 3, Duration.ofSeconds(10), 0, Duration.ofSeconds(10)));
        String alice = join(rooms, "room-f", "alice");
        send(rooms, "room-f", alice, new RoomCommand.Leave());

        // A blip: the server keeps the pipeline, and the room records the loss and the recovery, new versions both.
        rooms.onMediaServer(new MediaServerAvailability(media.id(), false));
        rooms.onMediaServer(new MediaServerAvailability(media.id(), true));
        await().untilAsserted(() -> assertThat(output.eventsOf("room-f")).extracting(RoomEvent::data)
                .contains(new EventData.MediaServerRecovered(false, media.id())));

        await().untilAsserted(() -> assertThat(media.live).isEmpty());
        assertThat(output.backups.get("room-f")).isEmpty();
    }

    @Test
    void anEmptyRoomTakenOverAfterItsMediaServerRestartedForgetsItsPipelineAndOpensAgainOnTheNextJoin() {
        String alice = join("room-g", "alice");
        send("room-g", alice, new RoomCommand.Leave());
        RoomState backup = output.backups.get("room-g").orElseThrow();
        media.forgetEverything();

        RoomSupervisor successor = takeOver(backup);

        await().untilAsserted(() -> {
            assertThat(output.backups.get("room-g")).isEmpty();
            assertThat(successor.roomCount()).isZero();
        });
        assertThat(media.live).isEmpty();
        join(successor, "room-g", "bob");
        assertThat(output.backups.get("room-g").orElseThrow().pipelineId()).isIn(media.live.keySet());
    }

    /** Another instance takes the room over from its backup, as read from Kafka; this one lets it go. */
    private RoomSupervisor takeOver(RoomState backup) {
        supervisor.handOver(backup.roomId()::equals, Duration.ofSeconds(5));
        RoomSupervisor successor = new RoomSupervisor(media.alone(), output, Clock.systemUTC(), SETTINGS);
        successor.restore(Json.read(Json.writeBytes(backup), RoomState.class));
        return successor;
    }

    private String join(String roomId, String userId) {
        return join(supervisor, roomId, userId);
    }

    private String join(RoomSupervisor rooms, String roomId, String userId) {
        String connectionId = "conn-" + roomId + "-" + userId;
        String participantId = ((RequestResult.Joined) ((GatewayMessage.Reply) send(rooms, roomId, connectionId, null,
                new RoomCommand.Join(userId, userId, null))).result()).participantId();
        connections.put(participantId, connectionId);
        return participantId;
    }

    private GatewayMessage.Body send(String roomId, String participantId, RoomCommand.Command command) {
        return send(supervisor, roomId, participantId, command);
    }

    private GatewayMessage.Body send(RoomSupervisor rooms, String roomId, String participantId, RoomCommand.Command command) {
        return send(rooms, roomId, connections.get(participantId), participantId, command);
    }

    private GatewayMessage.Body send(RoomSupervisor rooms, String roomId, String connectionId, String participantId,
                                     RoomCommand.Command command) {
        String commandId = UUID.randomUUID().toString();
        rooms.dispatch(new RoomCommand(commandId, roomId, "gw", connectionId, participantId, Instant.now(),
                command), () -> { });
        return await().until(() -> output.messages.stream().map(GatewayMessage::body)
                .filter(b -> b instanceof GatewayMessage.Reply r && r.commandId().equals(commandId)
                        || b instanceof GatewayMessage.Failure f && f.commandId().equals(commandId))
                .findFirst().orElse(null), b -> b != null);
    }
}
