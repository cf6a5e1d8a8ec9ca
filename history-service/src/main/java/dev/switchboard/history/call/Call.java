package dev.switchboard.history.call;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One call of a room, from call.started to call.ended, as the history has applied it so far. */
@Entity
@Table(name = "calls")
public class Call extends PanacheEntityBase {

    @Id
    @Column(name = "call_id")
    public String callId;

    @Column(name = "room_id", nullable = false)
    public String roomId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CallState state;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "duration_seconds")
    public Long durationSeconds;

    @Column(name = "end_reason")
    public String endReason;

    @Column(name = "peak_participants", nullable = false)
    public int peakParticipants;

    @Column(name = "last_sequence", nullable = false)
    public long lastSequence;

    /** Two consumers racing on one call (during a rebalance) make one transaction fail and retry. */
    @Version
    public long version;

    @OneToMany(mappedBy = "call", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("joinedAt, participantId")
    public List<Participant> participants = new ArrayList<>();

    @OneToMany(mappedBy = "call", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("publishedAt, streamId")
    public List<CallStream> streams = new ArrayList<>();

    @OneToMany(mappedBy = "call", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("sequence, id")
    public List<CallAnomaly> anomalies = new ArrayList<>();

    protected Call() {
    }

    public Call(String callId, String roomId) {
        this.callId = callId;
        this.roomId = roomId;
        this.state = CallState.ACTIVE;
    }
}
