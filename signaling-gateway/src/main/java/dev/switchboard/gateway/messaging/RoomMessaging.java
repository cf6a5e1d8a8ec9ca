package dev.switchboard.gateway.messaging;

import dev.switchboard.contracts.json.Json;
import dev.switchboard.contracts.messaging.GatewayMessage;
import dev.switchboard.contracts.messaging.PartitionCountMismatchException;
import dev.switchboard.contracts.messaging.Partitions;
import dev.switchboard.contracts.messaging.TopicCreator;
import dev.switchboard.contracts.messaging.TopicTail;
import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.contracts.protocol.ErrorCode;
import dev.switchboard.contracts.protocol.RoomStatus;
import dev.switchboard.gateway.config.GatewayIdentity;
import dev.switchboard.gateway.config.SwitchboardConfig;
import dev.switchboard.gateway.session.SignalingService;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Connects the gateway to the rooms: creates the topics, then follows this gateway's partition of
 * {@code room-replies} and all of {@code room-status}. Runs in the background, so that a gateway starts
 * (not ready) while Kafka is away and becomes ready when it is there.
 */
@ApplicationScoped
public class RoomMessaging {

    private static final Logger LOG = Logger.getLogger(RoomMessaging.class);
    private static final Duration CLUSTER_CHECK = Duration.ofSeconds(2);
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClients kafka;
    private final SwitchboardConfig config;
    private final String gatewayId;
    private final SignalingService signaling;
    private volatile TopicTail replies;
    private volatile TopicTail statuses;
    private volatile Thread watcher;
    private volatile boolean reachable;

    RoomMessaging(KafkaClients kafka, SwitchboardConfig config, GatewayIdentity gateway, SignalingService signaling) {
        this.kafka = kafka;
        this.config = config;
        this.gatewayId = gateway.id();
        this.signaling = signaling;
    }

    void start(@Observes StartupEvent startup) {
        watcher = Thread.ofPlatform().name("room-messaging").daemon().start(() -> {
            if (connect()) {
                watchCluster();
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        watcher.interrupt();
        if (replies != null) {
            replies.close();
        }
        if (statuses != null) {
            statuses.close();
        }
    }

    /**
     * Ready while Kafka answers and both tails run: requests can be sent, and replies and statuses reach
     * this gateway. Kept up to date in the background, so that asking never blocks.
     */
    public boolean ready() {
        return reachable && replies != null && statuses != null && repliesHealth().alive() && statusesHealth().alive();
    }

    /** How the tail of this gateway's replies fares, for the liveness check. */
    public TopicTail.Health repliesHealth() {
        return health(replies);
    }

    /** How the tail of the rooms' statuses fares, for the liveness check. */
    public TopicTail.Health statusesHealth() {
        return health(statuses);
    }

    /** A tail not there yet is still being connected: the connection loop retries it. */
    private static TopicTail.Health health(TopicTail tail) {
        return tail == null ? TopicTail.Health.NOT_STARTED : tail.health();
    }

    public String gatewayId() {
        return gatewayId;
    }

    /** Creates the topics and follows them once Kafka is there; false when stopped first, or refused. */
    private boolean connect() {
        try {
            if (!TopicCreator.awaitTopics(kafka.bootstrapServers(), config.kafka().partitions(),
                    config.kafka().replicationFactor(), Thread.currentThread()::isInterrupted, this::follow)) {
                return false;
            }
        } catch (PartitionCountMismatchException e) {
            LOG.errorf("gateway %s does not start: %s", gatewayId, e.getMessage());
            Quarkus.asyncExit(1);
            return false;
        }
        reachable = true;
        LOG.infof("gateway %s follows room-replies and room-status", gatewayId);
        return true;
    }

    private void follow() {
        if (replies == null) {
            replies = new TopicTail(() -> kafka.consumer("gateway-replies-" + gatewayId), Topics.ROOM_REPLIES,
                    TopicTail.From.END, partitions -> List.of(Partitions.of(gatewayId, partitions.size())),
                    this::onReply);
        }
        statuses = new TopicTail(() -> kafka.consumer("gateway-status-" + gatewayId), Topics.ROOM_STATUS,
                TopicTail.From.END, partitions -> partitions.stream().map(PartitionInfo::partition).toList(), this::onStatus);
    }

    private void watchCluster() {
        try (Admin admin = kafka.admin(CLUSTER_TIMEOUT)) {
            while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(CLUSTER_CHECK.toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                boolean answered = answers(admin);
                if (answered != reachable) {
                    LOG.infof("Kafka at %s is %s", kafka.bootstrapServers(), answered ? "back" : "not reachable");
                }
                reachable = answered;
            }
        }
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(CLUSTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void onReply(ConsumerRecord<String, byte[]> record) {
        GatewayMessage message = Json.read(record.value(), GatewayMessage.class);
        // The partition is shared with other gateways that hash to it.
        if (gatewayId.equals(message.gatewayId())) {
            understood(message).ifPresent(signaling::deliver);
        }
    }

    /**
     * What this gateway can pass on of a message from a newer room-service: a reply of a kind it does not know
     * fails its request at once, rather than letting it time out; other messages of unknown kinds are set aside.
     */
    static Optional<GatewayMessage> understood(GatewayMessage message) {
        return switch (message.body()) {
            case null -> setAside(message);
            case GatewayMessage.Reply reply when reply.result() == null -> Optional.of(new GatewayMessage(
                    message.gatewayId(), message.connectionId(), new GatewayMessage.Failure(reply.commandId(),
                    ErrorCode.UNAVAILABLE.code(), "room-service answered in a form this gateway does not know (format "
                    + message.format() + "); try again once the upgrade is done")));
            case GatewayMessage.Push push when push.notification() == null -> setAside(message);
            default -> Optional.of(message);
        };
    }

    private static Optional<GatewayMessage> setAside(GatewayMessage message) {
        LOG.warnf("connection %s: a message of a kind this gateway does not know (format %s) is set aside",
                message.connectionId(), message.format());
        return Optional.empty();
    }

    private void onStatus(ConsumerRecord<String, byte[]> record) {
        // A tombstone says the room is gone; its clients hear that through their own roomClosed push.
        if (record.value() != null) {
            signaling.fanOut(Json.read(record.value(), RoomStatus.class));
        }
    }
}
