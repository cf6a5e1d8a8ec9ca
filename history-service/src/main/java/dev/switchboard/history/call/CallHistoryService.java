package dev.switchboard.history.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.history.repository.CallEventRepository;
import dev.switchboard.history.repository.CallRepository;
import dev.switchboard.history.repository.UnreadableRecordRepository;
import dev.switchboard.history.repository.UsageRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds call history from room events and answers what readers may see of it. */
@ApplicationScoped
public class CallHistoryService {

    private static final Logger LOG = Logger.getLogger(CallHistoryService.class);

    private final CallRepository calls;
    private final CallEventRepository events;
    private final UnreadableRecordRepository unreadableRecords;
    private final UsageRepository usage;
    private final Counter replays;

    public CallHistoryService(CallRepository calls, CallEventRepository events,
                              UnreadableRecordRepository unreadableRecords, UsageRepository usage,
                              MeterRegistry registry) {
        this.calls = calls;
        this.events = events;
        this.unreadableRecords = unreadableRecords;
        this.usage = usage;
        this.replays = registry.counter("switchboard.history.call.replays");
    }

    /**
     * Applies a batch of room events in one transaction: each event id once, each call's events in sequence
     * order. A call that receives an event older than what it has applied is rebuilt from its timeline, so
     * the history never depends on the order of arrival.
     */
    @Transactional
    public Applied apply(List<RoomEvent> batch, List<UnreadableRecord> unreadableBatch) {
        unreadableBatch.forEach(unreadableRecords::record);
        Collection<RoomEvent> distinct = batch.stream()
                .collect(Collectors.toMap(RoomEvent::id, e -> e, (first, again) -> first, LinkedHashMap::new))
                .values();
        Set<String> fresh = events.insertNew(List.copyOf(distinct));
        Map<String, List<RoomEvent>> byCall = distinct.stream()
                .filter(e -> fresh.contains(e.id()))
                .collect(Collectors.groupingBy(RoomEvent::callid, LinkedHashMap::new,
                        Collectors.toCollection(ArrayList::new)));
        byCall.forEach(this::applyToCall);
        return new Applied(fresh.size(), batch.size() - fresh.size(), unreadableBatch.size());
    }

    /** What a batch came to: events new to the history, events seen before, records set aside. */
    public record Applied(int applied, int duplicates, int unreadable) {
    }

    private void applyToCall(String callId, List<RoomEvent> callEvents) {
        callEvents.sort(CallProjection.SEQUENCE_ORDER);
        Call call = calls.findById(callId);
        if (call == null) {
            call = CallProjection.start(callEvents.getFirst());
            calls.persist(call);
        }
        if (callEvents.getFirst().sequence() <= call.lastSequence) {
            replay(call);
            return;
        }
        for (RoomEvent event : callEvents) {
            CallProjection.apply(call, event);
        }
    }

    private void replay(Call call) {
        LOG.infof("call %s of room %s: an event arrived late, replaying the call's timeline", call.callId, call.roomId);
        List<RoomEvent> timeline = events.timeline(call.callId).stream().map(CallHistoryService::toRoomEvent).toList();
        CallProjection.reset(call, timeline.getFirst());
        // the rows just dropped must go before the replay adds rows with the same keys
        calls.flush();
        timeline.forEach(event -> CallProjection.apply(call, event));
        replays.increment();
    }

    @Transactional
    public Page<CallSummary> list(CallFilter filter, Viewer viewer) {
        // one more than asked tells whether another page follows
        List<Call> found = calls.search(new CallFilter(filter.roomId(), filter.userId(), filter.from(), filter.to(),
                filter.state(), filter.limit() + 1, filter.after()), viewer);
        boolean more = found.size() > filter.limit();
        List<Call> page = more ? found.subList(0, filter.limit()) : found;
        Instant now = Instant.now();
        return new Page<>(page.stream().map(call -> CallSummary.of(call, now)).toList(),
                more ? CallCursor.of(page.getLast()).encode() : null);
    }

    @Transactional
    public CallDetails get(String callId, Viewer viewer) {
        return CallDetails.of(visible(callId, viewer), Instant.now());
    }

    @Transactional
    public List<TimelineEvent> timeline(String callId, Viewer viewer) {
        visible(callId, viewer);
        return events.timeline(callId).stream()
                .map(e -> new TimelineEvent(e.eventId, e.sequence, e.type, e.time, readTree(e.data)))
                .toList();
    }

    @Transactional
    public Usage.Report<Usage.Day> dailyUsage(Usage.Period period, String roomId) {
        return new Usage.Report<>(period.from(), period.to(), usage.daily(period, roomId));
    }

    @Transactional
    public Usage.Report<Usage.Room> roomUsage(Usage.Period period, int limit) {
        return new Usage.Report<>(period.from(), period.to(), usage.byRoom(period, limit));
    }

    @Transactional
    public Usage.Report<Usage.User> userUsage(Usage.Period period, int limit) {
        return new Usage.Report<>(period.from(), period.to(), usage.byUser(period, limit));
    }

    private Call visible(String callId, Viewer viewer) {
        return calls.findVisible(callId, viewer).orElseThrow(() -> new CallNotFoundException(callId));
    }

    private static RoomEvent toRoomEvent(CallEvent stored) {
        ObjectNode event = Json.mapper().createObjectNode()
                .put("specversion", RoomEvent.SPEC_VERSION)
                .put("id", stored.eventId)
                .put("source", RoomEvent.SOURCE)
                .put("subject", stored.roomId)
                .put("time", stored.time.toString())
                .put("callid", stored.callId)
                .put("sequence", stored.sequence)
                .put("datacontenttype", RoomEvent.CONTENT_TYPE)
                .put("type", stored.type);
        event.set("data", readTree(stored.data));
        return Json.read(Json.write(event), RoomEvent.class);
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
