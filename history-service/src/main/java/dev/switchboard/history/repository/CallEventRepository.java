package dev.switchboard.history.repository;

import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.history.call.CallEvent;
import dev.switchboard.history.call.CallProjection;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

@ApplicationScoped
public class CallEventRepository implements PanacheRepositoryBase<CallEvent, String> {

    private static final int COLUMNS = 7;

    /**
     * Adds the events the timeline does not hold yet, in one statement, and returns the ids of those it
     * added: an event id seen before is a duplicate and changes nothing.
     */
    @SuppressWarnings("unchecked")
    public Set<String> insertNew(List<RoomEvent> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        StringBuilder sql = new StringBuilder(
                "INSERT INTO call_events (event_id, call_id, room_id, sequence, type, event_time, data) VALUES ");
        for (int i = 0; i < events.size(); i++) {
            int p = i * COLUMNS;
            sql.append(i == 0 ? "" : ", ")
                    .append("(?%d, ?%d, ?%d, ?%d, ?%d, ?%d, cast(?%d as jsonb))"
                            .formatted(p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7));
        }
        sql.append(" ON CONFLICT (event_id) DO NOTHING RETURNING event_id");
        Query insert = getEntityManager().createNativeQuery(sql.toString(), String.class);
        for (int i = 0; i < events.size(); i++) {
            RoomEvent event = events.get(i);
            int p = i * COLUMNS;
            insert.setParameter(p + 1, event.id())
                    .setParameter(p + 2, event.callid())
                    .setParameter(p + 3, event.roomId())
                    .setParameter(p + 4, event.sequence())
                    .setParameter(p + 5, event.type())
                    .setParameter(p + 6, CallProjection.stored(event.time()))
                    .setParameter(p + 7, Json.write(event.data()));
        }
        return new HashSet<>(insert.getResultList());
    }

    public List<CallEvent> timeline(String callId) {
        return list("callId", Sort.by("sequence").and("eventId"), callId);
    }
}
