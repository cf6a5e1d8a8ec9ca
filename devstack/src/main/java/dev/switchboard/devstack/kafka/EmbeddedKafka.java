package dev.switchboard.devstack.kafka;

import dev.switchboard.devstack.support.EmbeddedServer;
import dev.switchboard.devstack.support.Ports;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real Kafka broker inside this JVM: one KRaft node that is broker and controller at once, on
 * 127.0.0.1. It keeps its port and its data across {@link #stop()} and {@link #restart()}, so tests
 * can take the broker away and bring it back.
 */
public final class EmbeddedKafka extends EmbeddedServer {

    private static final int NODE_ID = 1;

    /**
     * How to start the broker.
     *
     * @param port       the client port, 0 for a free one (kept across restarts)
     * @param dataDir    where the logs live; {@code null} for a temporary directory that {@link #close()} deletes
     * @param overrides  broker properties that replace the defaults of this class
     */
    public record Settings(int port, Path dataDir, Map<String, String> overrides) {

        public Settings {
            overrides = Map.copyOf(overrides);
        }

        public static Settings defaults() {
            return new Settings(0, null, Map.of());
        }

        public Settings withPort(int port) {
            return new Settings(port, dataDir, overrides);
        }

        public Settings withDataDir(Path dataDir) {
            return new Settings(port, dataDir, overrides);
        }

        public Settings withBrokerProperty(String key, String value) {
            Map<String, String> merged = new LinkedHashMap<>(overrides);
            merged.put(key, value);
            return new Settings(port, dataDir, merged);
        }
    }

    private final Properties brokerProperties;
    private KafkaRaftServer server;

    private EmbeddedKafka(Settings settings) {
        super(settings.port(), settings.dataDir(), "switchboard-kafka");
        // The controller port only has to be stable across restarts, like the client port.
        int controllerPort = Ports.free();
        brokerProperties = brokerProperties(port(), controllerPort, dataDir());
        brokerProperties.putAll(settings.overrides());
    }

    public static EmbeddedKafka start(Settings settings) {
        EmbeddedKafka kafka = new EmbeddedKafka(settings);
        try {
            kafka.restart();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private static Properties brokerProperties(int port, int controllerPort, Path dataDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        // A single node: every replicated internal topic must make do with one replica.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        // Consumers of a fresh group get their partitions at once instead of after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Lower floors, so failover tests may detect a killed consumer in seconds; the defaults stay as they are.
        p.put("group.min.session.timeout.ms", "1000");
        p.put("group.consumer.min.session.timeout.ms", "1000");
        p.put("group.consumer.min.heartbeat.interval.ms", "500");
        // A transaction left open by a killed room-service holds up the takeover of its rooms until it is aborted:
        // look for timed-out ones often rather than every 10 s.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");
        // The default reserves 128 MiB of heap for log compaction; a development broker needs little.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return p;
    }

    /** Starts the broker again on the same port and data; stops it first if it runs. */
    @Override
    public synchronized void restart() {
        stop();
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties);
        formatIfNew();
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            started.startup();
        } catch (RuntimeException e) {
            try {
                started.shutdown();
                started.awaitShutdown();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IllegalStateException("the embedded Kafka broker did not start on port " + port(), e);
        }
        server = started;
    }

    private void formatIfNew() {
        Path dataDir = dataDir();
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir, e);
        }
    }

    /** Stops the broker, keeping its data; {@link #restart()} brings it back. */
    @Override
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir() + "]";
    }
}
