package dev.switchboard.history.call;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A stream one participant published in a call, and how many others received it. */
@Entity
@Table(name = "streams")
public class CallStream extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "streams_seq")
    @SequenceGenerator(name = "streams_seq", sequenceName = "streams_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "call_id")
    public Call call;

    @Column(name = "stream_id", nullable = false)
    public String streamId;

    @Column(name = "participant_id", nullable = false)
    public String participantId;

    /** The wire name of the StreamKind: camera or screen. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "published_at", nullable = false)
    public Instant publishedAt;

    @Column(name = "unpublished_at")
    public Instant unpublishedAt;

    /** The participants receiving the stream now. */
    @ElementCollection
    @CollectionTable(name = "stream_subscribers", joinColumns = @JoinColumn(name = "stream_pk"))
    @Column(name = "participant_id")
    @OrderColumn(name = "position")
    public List<String> subscribers = new ArrayList<>();

    @Column(name = "peak_subscribers", nullable = false)
    public int peakSubscribers;

    /** Unknown (null) until the first stream.media-changed. */
    public Boolean audio;

    public Boolean video;

    protected CallStream() {
    }

    public CallStream(Call call, String streamId, String participantId, String kind, Instant publishedAt) {
        this.call = call;
        this.streamId = streamId;
        this.participantId = participantId;
        this.kind = kind;
        this.publishedAt = publishedAt;
    }

    public boolean live() {
        return unpublishedAt == null;
    }
}
