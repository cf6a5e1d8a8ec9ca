package dev.switchboard.room.room;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.ServerNotification;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rooms under their supervisor: a failing room restarts from its backup, alone; one that keeps failing closes. */
class RoomSupervisionTest {

    private static final String OFFER = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    private final FakeMediaServer media = new FakeMediaServer();
    private final RecordingOutput output = new RecordingOutput();
    private final RoomSupervisor supervisor = new RoomSupervisor(media, output, Clock.systemUTC(),
            new RoomSupervisor.Settings(Duration.ofSeconds(20), Duration.ofSeconds(30), 3, Duration.ofSeconds(10)));

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

    private String join(String roomId, String userId) {
        return ((RequestResult.Joined) ((GatewayMessage.Reply) send(roomId, null,
                new RoomCommand.Join(userId, userId, null))).result()).participantId();
    }

    private GatewayMessage.Body send(String roomId, String participantId, RoomCommand.Command command) {
        String commandId = UUID.randomUUID().toString();
        supervisor.dispatch(new RoomCommand(commandId, roomId, "gw", "conn-" + roomId, participantId, Instant.now(),
                command), () -> { });
        return await().until(() -> output.messages.stream().map(GatewayMessage::body)
                .filter(b -> b instanceof GatewayMessage.Reply r && r.commandId().equals(commandId)
                        || b instanceof GatewayMessage.Failure f && f.commandId().equals(commandId))
                .findFirst().orElse(null), b -> b != null);
    }
}
