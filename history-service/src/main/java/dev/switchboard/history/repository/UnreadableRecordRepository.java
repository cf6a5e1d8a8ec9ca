package dev.switchboard.history.repository;

import dev.switchboard.history.call.UnreadableRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

@ApplicationScoped
public class UnreadableRecordRepository {

    private final EntityManager entityManager;

    public UnreadableRecordRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Keeps the record once, however often it is delivered. */
    public void record(UnreadableRecord record) {
        entityManager.createNativeQuery("""
                        INSERT INTO unreadable_records (topic, partition, record_offset, record_key, payload, error)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, record.topic())
                .setParameter(2, record.partition())
                .setParameter(3, record.offset())
                .setParameter(4, record.key())
                .setParameter(5, record.payload())
                .setParameter(6, record.error())
                .executeUpdate();
    }
}
