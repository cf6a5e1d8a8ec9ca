package dev.switchboard.history.call;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** An event the history recorded but could not take as it came, with why. */
@Entity
@Table(name = "call_anomalies")
public class CallAnomaly extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "call_anomalies_seq")
    @SequenceGenerator(name = "call_anomalies_seq", sequenceName = "call_anomalies_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "call_id")
    public Call call;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(nullable = false)
    public long sequence;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AnomalyKind kind;

    @Column(nullable = false)
    public String detail;

    protected CallAnomaly() {
    }

    public CallAnomaly(Call call, String eventId, long sequence, AnomalyKind kind, String detail) {
        this.call = call;
        this.eventId = eventId;
        this.sequence = sequence;
        this.kind = kind;
        this.detail = detail;
    }
}
