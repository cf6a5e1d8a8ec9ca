package dev.switchboard.history.call;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** One participant of a call: a join, possibly reconnections, and a leave. */
@Entity
@Table(name = "participants")
public class Participant extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "participants_seq")
    @SequenceGenerator(name = "participants_seq", sequenceName = "participants_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "call_id")
    public Call call;

    @Column(name = "participant_id", nullable = false)
    public String participantId;

    @Column(name = "user_id")
    public String userId;

    public String name;

    @Column(name = "joined_at", nullable = false)
    public Instant joinedAt;

    @Column(name = "left_at")
    public Instant leftAt;

    @Column(name = "duration_seconds")
    public Long durationSeconds;

    @Column(name = "leave_reason")
    public String leaveReason;

    @Column(nullable = false)
    public int reconnections;

    @Column(nullable = false)
    public boolean connected = true;

    protected Participant() {
    }

    public Participant(Call call, String participantId, String userId, String name, Instant joinedAt) {
        this.call = call;
        this.participantId = participantId;
        this.userId = userId;
        this.name = name;
        this.joinedAt = joinedAt;
    }

    public boolean present() {
        return leftAt == null;
    }
}
