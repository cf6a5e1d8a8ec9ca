package dev.switchboard.loadgen.scenario;

import dev.switchboard.contracts.events.EventData;
import dev.switchboard.contracts.events.RoomEvent;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.StreamKind;
import dev.switchboard.loadgen.report.Measurements;
import dev.switchboard.loadgen.report.TargetCheck;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * History lag and ingest: room events produced straight to {@code room-events} at {@code perSecond}
 * for {@code duration}, as many concurrent calls of ten events each (start, two joins, a publish, a
 * subscription, its end, the leaves, the end of the call). Five times a second a probe call starts,
 * and a reader polls {@code GET /calls/{id}} (every 10 ms, backing off to 5 % of the probe's age) until
 * its first participant shows: that is the lag. The
 * sustained ingest rate is the events history-service applied (its own counter) over the time from
 * the first event sent to the last one applied.
 */
public record HistoryLag(double perSecond, Duration duration) implements Scenario {

    static final String LAG = "event sent → visible in GET /calls/{id}";
    private static final int CALLS_IN_FLIGHT = 64;
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration POLL = Duration.ofMillis(10);
    /** Past the first polls, a probe waits this share of its age: 5 % resolution, and a lagging history is not flooded. */
    private static final int BACKOFF_DIVISOR = 20;
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final String APPLIED = "switchboard_history_events_total{";

    @Override
    public String id() {
        return "history-lag";
    }

    @Override
    public String title() {
        return "history lag and sustained ingest at " + Math.round(perSecond) + " events/s";
    }

    @Override
    public void run(Run run) {
        Measurements m = run.measurements();
        String bootstrap = run.target().requireKafka("producing room events");
        m.parameter("eventsPerSecond", perSecond).parameter("duration", duration);
        HttpClient http = HttpClient.newHttpClient();
        String admin = run.fleet().adminToken();
        URI history = run.target().history();
        OptionalLong appliedBefore = applied(http, history);
        AtomicLong sent = new AtomicLong();
        long total = (long) (perSecond * duration.toSeconds());
        run.progress().phase("producing", total);
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
             ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < CALLS_IN_FLIGHT; i++) {
                calls.add(Call.next(run.runId()));
            }
            long nextProbe = start;
            int turn = 0;
            while (sent.get() < total && !run.pastDeadline()) {
                long now = System.nanoTime();
                if (now >= nextProbe) {
                    Call probe = Call.next(run.runId());
                    long emitted = System.nanoTime();
                    send(producer, probe.take(), m, sent);
                    send(producer, probe.take(), m, sent);
                    String participant = ((EventData.ParticipantJoined) probe.events.get(1).data()).participantId();
                    probes.execute(() -> awaitVisible(http, history, admin, probe.callId, participant, emitted, m));
                    calls.add(probe);
                    nextProbe += PROBE_INTERVAL_NANOS;
                }
                // Probes count towards the rate: it is what history-service is offered.
                long due = (long) ((now - start) / 1e9 * perSecond) - sent.get();
                for (long i = 0; i < due && sent.get() < total; i++) {
                    int slot = turn++ % calls.size();
                    Call call = calls.get(slot);
                    send(producer, call.take(), m, sent);
                    if (call.done()) {
                        calls.set(slot, Call.next(run.runId()));
                    }
                    run.progress().step();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            producer.flush();
            m.figure("events sent", sent.get(), "events");
            m.figure("offered rate", Math.round(sent.get() / ((System.nanoTime() - start) / 1e9)), "events/s");
            run.progress().phase("waiting for history", 0);
            ingestRate(http, history, appliedBefore, sent.get(), start, m);
            probes.shutdown();
            probes.awaitTermination(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Math.abs(perSecond - 5000) < 1) {
            m.target(TargetCheck.below("history lag p99 < 1 s at 5,000 events/s", m.latency(LAG).summary().p99(), 1000, "ms"));
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, RoomEvent event, Measurements m, AtomicLong sent) {
        producer.send(new ProducerRecord<>(Topics.ROOM_EVENTS, event.roomId(), Json.writeBytes(event)), (metadata, failure) -> {
            if (failure != null) {
                m.failures().record("produce", failure);
            }
        });
        sent.incrementAndGet();
    }

    private static void awaitVisible(HttpClient http, URI history, String token, String callId, String participantId,
                                     long emitted, Measurements m) {
        HttpRequest get = HttpRequest.newBuilder(history.resolve("/calls/" + callId))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        long giveUp = emitted + GIVE_UP.toNanos();
        while (System.nanoTime() < giveUp) {
            try {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains(participantId)) {
                    m.latency(LAG).recordSince(emitted);
                    return;
                }
            } catch (IOException e) {
                m.failures().record("GET /calls/{id}", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(Math.max(POLL.toNanos(), (System.nanoTime() - emitted) / BACKOFF_DIVISOR));
        }
        m.failures().record("history lag probe", new IllegalStateException("not visible within " + GIVE_UP));
    }

    /** Polls history-service's applied-events counter until it has taken everything sent. */
    private static void ingestRate(HttpClient http, URI history, OptionalLong before, long sent, long start, Measurements m) {
        if (before.isEmpty()) {
            m.note("history-service exposes no switchboard_history_events_total: no ingest rate");
            return;
        }
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < giveUp) {
            long applied = applied(http, history).orElse(0) - before.getAsLong();
            if (applied >= sent) {
                m.figure("sustained ingest", Math.round(applied / ((System.nanoTime() - start) / 1e9)), "events/s");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        long applied = applied(http, history).orElse(0) - before.getAsLong();
        m.figure("sustained ingest", Math.round(applied / ((System.nanoTime() - start) / 1e9)), "events/s");
        m.note("history had applied " + applied + " of " + sent + " events " + GIVE_UP.toSeconds() + " s after the last was sent");
    }

    /** Applied plus duplicate: every event history-service has taken off the topic for good. */
    static OptionalLong applied(HttpClient http, URI history) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(history.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<String> lines = metrics.lines().filter(line -> line.startsWith(APPLIED)
                    && (line.contains("outcome=\"applied\"") || line.contains("outcome=\"duplicate\""))).toList();
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(lines.stream()
                    .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.CLIENT_ID_CONFIG, "loadgen-history-lag"), new StringSerializer(), new ByteArraySerializer());
    }

    /** The ten events of one short call, sent one at a time in order. */
    private static final class Call {
        private final String callId;
        private final List<RoomEvent> events;
        private int next;

        private Call(String callId, List<RoomEvent> events) {
            this.callId = callId;
            this.events = events;
        }

        static Call next(String runId) {
            String room = runId + "-history-" + UUID.randomUUID();
            String callId = UUID.randomUUID().toString();
            String alice = UUID.randomUUID().toString();
            String bob = UUID.randomUUID().toString();
            String stream = UUID.randomUUID().toString();
            Instant now = Instant.now();
            List<EventData> data = List.of(
                    new EventData.CallStarted(room, now),
                    new EventData.ParticipantJoined(alice, "alice", "Alice"),
                    new EventData.ParticipantJoined(bob, "bob", "Bob"),
                    new EventData.StreamPublished(alice, stream, StreamKind.CAMERA),
                    new EventData.StreamSubscribed(bob, stream),
                    new EventData.StreamUnsubscribed(bob, stream),
                    new EventData.StreamUnpublished(alice, stream),
                    new EventData.ParticipantLeft(alice, "leaveRoom"),
                    new EventData.ParticipantLeft(bob, "leaveRoom"),
                    new EventData.CallEnded("lastParticipantLeft", now));
            List<RoomEvent> events = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                events.add(RoomEvent.of(room, callId, i + 1, now, data.get(i)));
            }
            return new Call(callId, events);
        }

        RoomEvent take() {
            RoomEvent event = events.get(next++);
            // Stamped when sent, as room-service stamps an event when the change happens.
            return new RoomEvent(event.specversion(), event.id(), event.source(), event.subject(), Instant.now(),
                    event.callid(), event.sequence(), event.datacontenttype(), event.data(), event.formatversion());
        }

        boolean done() {
            return next == events.size();
        }
    }
}
