package dev.switchboard.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.contracts.client.SignalingClient;
import dev.switchboard.contracts.client.SignalingClient.Notification;
import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.protocol.RoomStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One simulated participant over the real protocol: the requests a browser sends, and a pump that
 * reads everything the server pushes (keeping the latest room status, the streams that got ICE
 * candidates, how often it was asked to renegotiate and why the call was lost, if it was), so nothing
 * piles up unread.
 */
public final class SimulatedClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PUMP_POLL = Duration.ofSeconds(5);
    private static final Map<String, Object> LOCAL_CANDIDATE = Map.of(
            "candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid", "0", "sdpMLineIndex", 0);

    /** Told of every room status as it arrives, with its {@link System#nanoTime()}. */
    public interface StatusListener {
        void arrived(RoomStatus status, long nanos);
    }

    private final Fleet fleet;
    private final String userId;
    private final String roomId;
    /** Per stream, when its first server ICE candidate arrived ({@link System#nanoTime()}). */
    private final Map<String, CompletableFuture<Long>> candidates = new ConcurrentHashMap<>();
    private final Object statusChanged = new Object();
    private final AtomicInteger renegotiations = new AtomicInteger();
    private volatile SignalingClient connection;
    private volatile Thread pump;
    private volatile boolean running = true;
    private volatile StatusListener listener = (status, nanos) -> { };
    private volatile RoomStatus status;
    private volatile String lost;
    private String participantId;
    private String resumeToken;
    private String streamId;

    public SimulatedClient(Fleet fleet, String userId, String roomId) {
        this.fleet = fleet;
        this.userId = userId;
        this.roomId = roomId;
    }

    public SimulatedClient connect() {
        connection = fleet.connect();
        if (pump == null) {
            pump = Thread.ofVirtual().name("pump-" + userId).start(this::pumpNotifications);
        }
        return this;
    }

    public void onStatus(StatusListener listener) {
        this.listener = listener;
    }

    public RoomStatus join() {
        JsonNode joined = call("joinRoom", Map.of("roomId", roomId, "token", fleet.token(userId, roomId), "name", userId));
        participantId = joined.get("participantId").asText();
        resumeToken = joined.get("resumeToken").asText();
        RoomStatus room = Json.mapper().convertValue(joined.get("room"), RoomStatus.class);
        updateStatus(room);
        return room;
    }

    /** Publishes the camera; answers the stream id. */
    public String publish() {
        streamId = call("publish", Map.of("sdpOffer", fleet.offer())).get("streamId").asText();
        return streamId;
    }

    /**
     * Waits for the server's first ICE candidate of a stream, as a browser does before it has media;
     * answers when it arrived ({@link System#nanoTime()}), which may be before the sdpAnswer did.
     */
    public long awaitCandidate(String stream) {
        return candidateFuture(stream).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Trickles one local candidate for a stream. */
    public void addIceCandidate(String stream) {
        call("addIceCandidate", Map.of("streamId", stream, "candidate", LOCAL_CANDIDATE));
    }

    public void subscribe(String stream) {
        call("subscribe", Map.of("streamId", stream, "sdpOffer", fleet.offer()));
    }

    public void setMedia(boolean audio, boolean video) {
        call("setMedia", Map.of("streamId", streamId, "audio", audio, "video", video));
    }

    public void leave() {
        call("leaveRoom", null);
    }

    /** Drops the socket as a lost network does, opens another and resumes the participant on it. */
    public void reconnect() {
        connection.abort();
        connection = fleet.connect();
        call("resume", Map.of("resumeToken", resumeToken));
    }

    private JsonNode call(String method, Object params) {
        return connection.call(method, params, TIMEOUT);
    }

    /** Waits until the latest room status matches. */
    public RoomStatus awaitStatus(Predicate<RoomStatus> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (statusChanged) {
            while (status == null || !matching.test(status)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("room status did not match within " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(statusChanged, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return status;
        }
    }

    /** A stream another participant of the room publishes, if the latest status shows one. */
    public Optional<String> otherStream() {
        RoomStatus room = status;
        return room == null ? Optional.empty() : room.participants().stream()
                .filter(p -> !p.participantId().equals(participantId))
                .flatMap(p -> p.streams().stream())
                .map(RoomStatus.Stream::streamId)
                .findFirst();
    }

    public RoomStatus status() {
        return status;
    }

    public String roomId() {
        return roomId;
    }

    /** Whether this participant has published a stream (its setMedia has something to change). */
    public boolean published() {
        return streamId != null;
    }

    public String participantId() {
        return participantId;
    }

    /** Why the server ended this participant's call (evicted, room closed), or null while it has not. */
    public String lost() {
        return lost;
    }

    /** How many renegotiate notifications arrived: each would cost a real client a new offer and a media gap. */
    public int renegotiations() {
        return renegotiations.get();
    }

    public boolean isOpen() {
        return connection != null && connection.isOpen();
    }

    @Override
    public void close() {
        running = false;
        if (pump != null) {
            pump.interrupt();
        }
        if (connection != null) {
            connection.abort();
        }
    }

    private void pumpNotifications() {
        while (running) {
            Notification next;
            try {
                next = connection.awaitNotification(any -> true, PUMP_POLL);
            } catch (IllegalStateException quiet) {
                continue;
            }
            long arrived = System.nanoTime();
            switch (next.method()) {
                case "roomStatus" -> {
                    RoomStatus room = Json.mapper().convertValue(next.params(), RoomStatus.class);
                    // The listener first: whoever awaitStatus wakes may read what it recorded.
                    listener.arrived(room, arrived);
                    updateStatus(room);
                }
                case "iceCandidate" -> candidateFuture(next.params().path("streamId").asText()).complete(arrived);
                case "renegotiate" -> renegotiations.incrementAndGet();
                case "evicted", "roomClosed" -> lost = next.method() + ": " + next.params().path("reason").asText();
                default -> {
                    // mediaState needs no answer from a client without media.
                }
            }
        }
    }

    private CompletableFuture<Long> candidateFuture(String stream) {
        return candidates.computeIfAbsent(stream, any -> new CompletableFuture<>());
    }

    private void updateStatus(RoomStatus room) {
        synchronized (statusChanged) {
            if (status == null || room.version() > status.version()) {
                status = room;
            }
            statusChanged.notifyAll();
        }
    }
}
