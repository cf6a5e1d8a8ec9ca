package dev.switchboard.history.call;

import dev.switchboard.contracts.events.EndReason;
import dev.switchboard.contracts.events.EventData.CallEnded;
import dev.switchboard.contracts.events.EventData.ParticipantDisconnected;
import dev.switchboard.contracts.events.EventData.ParticipantJoined;
import dev.switchboard.contracts.events.EventData.ParticipantLeft;
import dev.switchboard.contracts.events.EventData.ParticipantReconnected;
import dev.switchboard.contracts.events.EventData.StreamPublished;
import dev.switchboard.contracts.events.EventData.StreamSubscribed;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.history.CallScript;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallProjectionTest {

    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");

    @Test
    void twoParticipantsJoinPublishAndLeave() {
        CallScript script = new CallScript("room-1", T0);
        Call call = replay(List.of(
                script.started(),
                script.afterSeconds(1, new ParticipantJoined("p-a", "alice", "Alice")),
                script.afterSeconds(1, new StreamPublished("p-a", "s-a", StreamKind.CAMERA)),
                script.afterSeconds(8, new ParticipantJoined("p-b", "bob", "Bob")),
                script.afterSeconds(1, new StreamSubscribed("p-b", "s-a")),
                script.afterSeconds(4, new ParticipantDisconnected("p-b")),
                script.afterSeconds(2, new ParticipantReconnected("p-b")),
                script.afterSeconds(30, new ParticipantLeft("p-b", EndReason.LEAVE_ROOM)),
                script.afterSeconds(3, new ParticipantLeft("p-a", EndReason.LEAVE_ROOM)),
                script.afterSeconds(0, new CallEnded(EndReason.LAST_PARTICIPANT_LEFT, script.time()))));

        assertThat(call.state).isEqualTo(CallState.ENDED);
        assertThat(call.durationSeconds).isEqualTo(50);
        assertThat(call.endReason).isEqualTo(EndReason.LAST_PARTICIPANT_LEFT);
        assertThat(call.peakParticipants).isEqualTo(2);
        assertThat(call.anomalies).isEmpty();
        Participant alice = call.participants.getFirst();
        assertThat(alice.durationSeconds).isEqualTo(49);
        assertThat(alice.leaveReason).isEqualTo(EndReason.LEAVE_ROOM);
        Participant bob = call.participants.getLast();
        assertThat(bob.durationSeconds).isEqualTo(37);
        assertThat(bob.reconnections).isEqualTo(1);
        CallStream camera = call.streams.getFirst();
        assertThat(camera.kind).isEqualTo("camera");
        assertThat(camera.unpublishedAt).isEqualTo(alice.leftAt);
        assertThat(camera.peakSubscribers).isEqualTo(1);
        assertThat(camera.subscribers).isEmpty();
    }

    @Test
    void callEndTakesEveryoneStillPresentWithIt() {
        CallScript script = new CallScript("room-2", T0);
        Call call = replay(List.of(
                script.started(),
                script.afterSeconds(5, new ParticipantJoined("p-a", "alice", "Alice")),
                script.afterSeconds(10, new CallEnded(EndReason.CLOSED_BY_ADMIN, null))));

        Participant alice = call.participants.getFirst();
        assertThat(alice.leftAt).isEqualTo(T0.plusSeconds(15));
        assertThat(alice.leaveReason).isEqualTo(EndReason.CLOSED_BY_ADMIN);
        assertThat(call.durationSeconds).isEqualTo(15);
    }

    @Test
    void whatCannotBeAppliedIsRecorded() {
        CallScript script = new CallScript("room-3", T0);
        RoomEvent started = script.started();
        RoomEvent strangerLeaves = script.afterSeconds(1, new ParticipantLeft("p-x", EndReason.LEAVE_ROOM));
        script.afterSeconds(1, new ParticipantJoined("p-lost", "lost", "Lost"));
        RoomEvent ended = script.afterSeconds(1, new CallEnded(EndReason.CLOSED_BY_ADMIN, null));
        RoomEvent late = script.afterSeconds(1, new ParticipantJoined("p-late", "late", "Late"));

        Call call = replay(List.of(started, strangerLeaves, ended, late));

        assertThat(call.anomalies).extracting(a -> a.kind).containsExactly(
                AnomalyKind.UNKNOWN_PARTICIPANT, AnomalyKind.SEQUENCE_GAP, AnomalyKind.AFTER_CALL_ENDED);
        assertThat(call.anomalies.get(1).detail).isEqualTo("event 3 is missing");
        assertThat(call.participants).isEmpty();
        assertThat(call.lastSequence).isEqualTo(5);
    }

    @Test
    void aCallWithoutItsStartStartsAtItsFirstEvent() {
        CallScript script = new CallScript("room-4", T0);
        script.started();
        RoomEvent joined = script.afterSeconds(3, new ParticipantJoined("p-a", "alice", "Alice"));

        Call call = replay(List.of(joined));

        assertThat(call.startedAt).isEqualTo(T0.plusSeconds(3));
        assertThat(call.anomalies).extracting(a -> a.kind)
                .containsExactly(AnomalyKind.SEQUENCE_GAP, AnomalyKind.MISSING_CALL_STARTED);
    }

    private static Call replay(List<RoomEvent> events) {
        Call call = CallProjection.start(events.getFirst());
        events.forEach(event -> CallProjection.apply(call, event));
        return call;
    }
}
