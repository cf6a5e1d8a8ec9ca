package dev.switchboard.history.repository;

import dev.switchboard.history.call.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.LocalDate;
import java.util.List;

/** Aggregates over calls and participants, computed by PostgreSQL. */
@ApplicationScoped
public class UsageRepository {

    private static final String CALL_MINUTES =
            "round(sum(coalesce(c.duration_seconds, extract(epoch FROM now() - c.started_at)))::numeric / 60, 2)";
    private static final String PARTICIPANT_MINUTES =
            "round(sum(coalesce(p.duration_seconds, extract(epoch FROM now() - p.joined_at)))::numeric / 60, 2)";
    private static final String STARTED_IN_PERIOD = "c.started_at >= ?1 AND c.started_at < ?2";

    private final EntityManager entityManager;

    public UsageRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public List<Usage.Day> daily(Usage.Period period, String roomId) {
        Query query = entityManager.createNativeQuery(
                "SELECT cast(cast(c.started_at AT TIME ZONE 'UTC' AS date) AS text), count(*), " + CALL_MINUTES
                        + " FROM calls c WHERE " + STARTED_IN_PERIOD + (roomId == null ? "" : " AND c.room_id = ?3")
                        + " GROUP BY 1 ORDER BY 1");
        if (roomId != null) {
            query.setParameter(3, roomId);
        }
        return rows(query, period, Integer.MAX_VALUE).stream()
                .map(row -> new Usage.Day(LocalDate.parse((String) row[0]), count(row[1]), minutes(row[2])))
                .toList();
    }

    public List<Usage.Room> byRoom(Usage.Period period, int limit) {
        Query query = entityManager.createNativeQuery("SELECT c.room_id, count(*), " + CALL_MINUTES
                + " FROM calls c WHERE " + STARTED_IN_PERIOD + " GROUP BY c.room_id ORDER BY 3 DESC, 1");
        return rows(query, period, limit).stream()
                .map(row -> new Usage.Room((String) row[0], count(row[1]), minutes(row[2])))
                .toList();
    }

    public List<Usage.User> byUser(Usage.Period period, int limit) {
        Query query = entityManager.createNativeQuery("SELECT p.user_id, count(DISTINCT p.call_id), "
                + PARTICIPANT_MINUTES + " FROM participants p JOIN calls c ON c.call_id = p.call_id WHERE "
                + STARTED_IN_PERIOD + " AND p.user_id IS NOT NULL GROUP BY p.user_id ORDER BY 3 DESC, 1");
        return rows(query, period, limit).stream()
                .map(row -> new Usage.User((String) row[0], count(row[1]), minutes(row[2])))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query query, Usage.Period period, int limit) {
        return query.setParameter(1, period.from()).setParameter(2, period.to()).setMaxResults(limit).getResultList();
    }

    private static long count(Object value) {
        return ((Number) value).longValue();
    }

    private static double minutes(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
