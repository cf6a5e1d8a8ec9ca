package dev.switchboard.room.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.FormatVersion;
import dev.switchboard.contracts.json.IncompatibleFormatException;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.RoomCommand;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.RequestResult;
import dev.switchboard.contracts.protocol.StreamKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Rooms taken over from backups and commands of format 1 as committed under {@code fixtures/format-1}: what a
 * room-service of this build must still read from the instances it replaces during a rolling deploy. A change
 * that breaks one of them is a new major format (docs/operations.md). The backups are read as the takeover
 * reads them, with {@link Json#read}, and the commands handled as a room does, by {@link RoomBehavior}.
 */
class FormatOneFixturesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:17:00Z");

    private final RoomBehavior behavior = new RoomBehavior(new FakeMediaServer().alone(), event -> { }, new WarmPool(), 0);

    @Test
    void aRoomInACallIsTakenOverWhole() {
        RoomState room = backup("room-state-call.json");

        assertThat(room.format()).isEqualTo(FormatVersion.CURRENT);
        assertThat(room.roomId()).isEqualTo("demo");
        assertThat(room.callId()).isEqualTo("call-1");
        assertThat(room.version()).isEqualTo(7);
        assertThat(room.sequence()).isEqualTo(6);
        assertThat(room.mediaServer()).isEqualTo("ws://kms-1:8888/kurento");
        assertThat(room.participants()).containsOnlyKeys("p-alice", "p-bob");
        RoomState.Participant alice = room.participants().get("p-alice");
        assertThat(alice.metadata().get("team").asText()).isEqualTo("blue");
        assertThat(alice.streams().get("s-alice-camera"))
                .isEqualTo(new RoomState.PublishedStream("s-alice-camera", StreamKind.CAMERA, "pipeline-1/endpoint-2", true, true));
        RoomState.Participant bob = room.participants().get("p-bob");
        assertThat(bob.connected()).isFalse();
        assertThat(bob.disconnectedAt()).isEqualTo(Instant.parse("2026-11-23T10:15:14Z"));
        assertThat(bob.subscriptions().get("s-alice-camera").endpointId()).isEqualTo("pipeline-1/endpoint-3");
        assertThat(room.endpointsHeld()).containsExactlyInAnyOrder("pipeline-1/endpoint-2", "pipeline-1/endpoint-3");
        assertThat(room.lastEvents()).extracting(RoomEvent::type, RoomEvent::sequence)
                .containsExactly(tuple("participant.disconnected", 6L));
        assertThat(room.answerTo("cmd-3")).hasValueSatisfying(answer -> assertThat(answer)
                .isEqualTo(new GatewayMessage.Reply("cmd-3",
                        new RequestResult.Published("s-alice-camera", "v=0\r\ns=answer to pipeline-1/endpoint-2\r\n"))));
    }

    @Test
    void commandsOfFormatOneAreHandledByTheRoomTakenOver() {
        RoomState room = backup("room-state-call.json");

        Decision muted = behavior.decide(room, command("room-command-set-media.json"), NOW);
        Decision left = behavior.decide(muted.state(), command("room-command-leave-newer-minor.json"), NOW);
        Decision resumed = behavior.decide(room, command("room-command-resume.json"), NOW);

        assertThat(muted.events()).extracting(RoomEvent::type, RoomEvent::sequence)
                .containsExactly(tuple("stream.media-changed", 7L));
        assertThat(muted.state().participants().get("p-alice").streams().get("s-alice-camera").video()).isFalse();
        assertThat(muted.state().version()).isEqualTo(8);
        assertThat(left.events()).extracting(RoomEvent::type, RoomEvent::sequence)
                .containsExactly(tuple("stream.unsubscribed", 8L), tuple("participant.left", 9L));
        assertThat(left.state().participants()).containsOnlyKeys("p-alice");
        assertThat(left.releases()).extracting(Decision.Release::objectId).containsExactly("pipeline-1/endpoint-3");
        assertThat(resumed.answer()).isInstanceOfSatisfying(GatewayMessage.Reply.class, reply -> assertThat(reply.result())
                .isInstanceOfSatisfying(RequestResult.Resumed.class, r -> assertThat(r.participantId()).isEqualTo("p-bob")));
        assertThat(resumed.state().participants().get("p-bob"))
                .satisfies(bob -> assertThat(bob.connected()).isTrue())
                .satisfies(bob -> assertThat(bob.connectionId()).isEqualTo("conn-b2"));
    }

    @Test
    void aBackupWrittenBeforeFormatVersionsIsOfFormatOne() {
        RoomState room = backup("room-state-before-versions.json");

        assertThat(room.format()).isEqualTo(FormatVersion.CURRENT);
        assertThat(room.mediaServer()).as("the first configured media server").isNull();
        assertThat(room.warmEndpoints()).isEmpty();
        assertThat(room.lastEvents()).isEmpty();
        assertThat(room.participants().get("p-carol").streams().get("s-carol-screen").kind()).isEqualTo(StreamKind.SCREEN);
        assertThat(room.answerTo("cmd-71")).hasValueSatisfying(a -> assertThat(a).isInstanceOf(GatewayMessage.Reply.class));
    }

    @Test
    void aBackupOfANewerMinorIsTakenOverWithoutWhatThisBuildDoesNotKnow() {
        RoomState room = backup("room-state-newer-minor.json");

        assertThat(room.format()).as("restated in this build's format").isEqualTo(FormatVersion.CURRENT);
        assertThat(room.participants().get("p-dave").streams()).containsOnlyKeys("s-dave-camera", "s-dave-board");
        assertThat(room.participants().get("p-dave").streams().get("s-dave-board").kind()).as("a kind of a newer build").isNull();
        assertThat(room.warmEndpoints()).containsExactly("pipeline-9/endpoint-3");
        assertThat(room.lastEvents()).extracting(RoomEvent::id).as("an event this build cannot write again is dropped")
                .containsExactly("evt-93");
        assertThat(room.answerTo("cmd-91")).as("an answer this build cannot repeat is refused, not done again")
                .hasValueSatisfying(a -> assertThat(a).isInstanceOfSatisfying(GatewayMessage.Failure.class,
                        f -> assertThat(f.code()).isEqualTo(ErrorCode.UNAVAILABLE.code())));
        assertThat(room.answerTo("cmd-92")).hasValue(new GatewayMessage.Failure("cmd-92", 4009, "already in the spotlight"));
        JsonNode written = Json.mapper().valueToTree(room);
        assertThat(written.get("format").asText()).isEqualTo("1.0");
        assertThat(written.has("spotlight")).isFalse();
    }

    @Test
    void aRequestOfATypeThisBuildDoesNotKnowIsRefusedClearly() {
        RoomState room = backup("room-state-newer-minor.json");

        Decision refused = behavior.decide(room, command("room-command-unknown-type.json"), NOW);

        assertThat(refused.changed()).isFalse();
        assertThat(refused.answer()).isInstanceOfSatisfying(GatewayMessage.Failure.class, failure -> {
            assertThat(failure.commandId()).isEqualTo("cmd-13");
            assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE.code());
            assertThat(failure.message()).contains("does not know this request", "format 1.2");
        });
    }

    @Test
    void aBackupOfAnotherMajorIsRefusedNotHalfRead() throws IOException {
        ObjectNode backup = (ObjectNode) Json.mapper().readTree(fixture("room-state-call.json"));
        backup.put("format", "2.0");

        assertThatThrownBy(() -> Json.read(Json.writeBytes(backup), RoomState.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseInstanceOf(IncompatibleFormatException.class)
                .rootCause().hasMessageContaining("the backup of room demo").hasMessageContaining("format 2.0");
    }

    /** What this build writes must still read as the fixture: a renamed or retyped field fails here. */
    @ParameterizedTest
    @ValueSource(strings = {"room-state-call.json", "room-command-set-media.json", "room-command-resume.json"})
    void theCurrentWriterStillWritesTheFixture(String name) throws IOException {
        JsonNode fixture = Json.mapper().readTree(fixture(name));
        Class<?> type = name.startsWith("room-state") ? RoomState.class : RoomCommand.class;
        JsonNode written = Json.mapper().readTree(Json.writeBytes(Json.read(fixture(name), type)));

        assertThat(written).isEqualTo(fixture);
    }

    @Test
    void aBackupWrittenAgainReadsAsTheOneRead() {
        for (String name : new String[] {"room-state-before-versions.json", "room-state-newer-minor.json"}) {
            RoomState room = backup(name);

            assertThat(Json.read(Json.writeBytes(room), RoomState.class)).as(name).isEqualTo(room);
        }
    }

    private static RoomState backup(String name) {
        return Json.read(fixture(name), RoomState.class);
    }

    private static RoomCommand command(String name) {
        return Json.read(fixture(name), RoomCommand.class);
    }

    private static byte[] fixture(String name) {
        try (InputStream in = FormatOneFixturesTest.class.getResourceAsStream("/fixtures/format-1/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
