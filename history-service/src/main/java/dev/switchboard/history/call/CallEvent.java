package dev.switchboard.history.call;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;

/** One room event as it arrived: the raw timeline the history is derived from. Written once, never changed. */
@Entity
@Immutable
@Table(name = "call_events")
public class CallEvent extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "call_id", nullable = false)
    public String callId;

    @Column(name = "room_id", nullable = false)
    public String roomId;

    @Column(nullable = false)
    public long sequence;

    @Column(nullable = false)
    public String type;

    @Column(name = "event_time", nullable = false)
    public Instant time;

    /** The CloudEvents data as JSON text; the column is jsonb. */
    @Column(nullable = false, columnDefinition = "jsonb")
    public String data;
}
