package dev.switchboard.history.repository;

import dev.switchboard.history.call.Call;
import dev.switchboard.history.call.CallFilter;
import dev.switchboard.history.call.Viewer;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class CallRepository implements PanacheRepositoryBase<Call, String> {

    private static final String TOOK_PART =
            "exists (from Participant p where p.call = c and p.userId = :%s)";

    /** The first {@code filter.limit()} calls matching the filter that the viewer may see, newest first. */
    public List<Call> search(CallFilter filter, Viewer viewer) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        and(where, params, TOOK_PART.formatted("viewer"), "viewer", viewer.admin() ? null : viewer.userId());
        and(where, params, TOOK_PART.formatted("userId"), "userId", filter.userId());
        and(where, params, "c.roomId = :roomId", "roomId", filter.roomId());
        and(where, params, "c.state = :state", "state", filter.state());
        and(where, params, "c.startedAt >= :from", "from", filter.from());
        and(where, params, "c.startedAt < :to", "to", filter.to());
        if (filter.after() != null) {
            // keyset pagination: strictly after the previous page's last call in (startedAt, callId) order
            and(where, params,
                    "(c.startedAt < :afterStarted or (c.startedAt = :afterStarted and c.callId < :afterCall))",
                    "afterStarted", filter.after().startedAt());
            params.put("afterCall", filter.after().callId());
        }
        return find("from Call c where " + where + " order by c.startedAt desc, c.callId desc", params)
                .page(0, filter.limit())
                .list();
    }

    /** Adds the condition when its value is given. */
    private static void and(StringBuilder where, Map<String, Object> params, String condition, String name,
                            Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.put(name, value);
        }
    }

    public Optional<Call> findVisible(String callId, Viewer viewer) {
        if (viewer.admin()) {
            return findByIdOptional(callId);
        }
        return find("from Call c where c.callId = :callId and " + TOOK_PART.formatted("viewer"),
                Map.of("callId", callId, "viewer", viewer.userId()))
                .firstResultOptional();
    }
}
