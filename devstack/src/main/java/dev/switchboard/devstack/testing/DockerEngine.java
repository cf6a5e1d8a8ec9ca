package dev.switchboard.devstack.testing;

import org.testcontainers.DockerClientFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Whether Testcontainers can reach a Docker engine. Asked once per JVM, and only where an engine
 * could be: without a DOCKER_HOST, a Testcontainers configuration or a Docker socket in a place
 * Testcontainers looks, the answer is no at once, before Testcontainers loads its native code (which
 * newer JDKs warn about) and logs at ERROR every strategy it tried.
 */
final class DockerEngine {

    /** Set to true (system property or environment) to use the embedded servers even where Docker runs. */
    static final String FORCE_EMBEDDED_PROPERTY = "switchboard.devstack.embedded";
    static final String FORCE_EMBEDDED_ENV = "SWITCHBOARD_DEVSTACK_EMBEDDED";

    private static final List<String> CHECK_LOGGERS = List.of("org.testcontainers", "com.github.dockerjava");
    private static final Logger LOG = Logger.getLogger(DockerEngine.class.getName());

    private static Boolean available;

    private DockerEngine() {
    }

    static synchronized boolean available() {
        if (available == null) {
            available = !forcedEmbedded() && mayBeReachable() && check();
            if (!available) {
                LOG.info("No Docker engine: using embedded Kafka and PostgreSQL");
            }
        }
        return available;
    }

    private static boolean forcedEmbedded() {
        return Boolean.parseBoolean(System.getProperty(FORCE_EMBEDDED_PROPERTY, System.getenv(FORCE_EMBEDDED_ENV)));
    }

    /** The places Testcontainers' strategies look, checked without Testcontainers. */
    private static boolean mayBeReachable() {
        if (System.getProperty("os.name", "").startsWith("Windows")
                || System.getenv("DOCKER_HOST") != null
                || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> candidates = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock")));
        Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR")).map(dir -> Path.of(dir, "docker.sock")).ifPresent(candidates::add);
        userId().map(uid -> Path.of("/run/user", uid, "docker.sock")).ifPresent(candidates::add);
        return candidates.stream().anyMatch(Files::exists) || onPath("docker-machine");
    }

    private static Optional<String> userId() {
        try {
            return Optional.of(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static boolean check() {
        List<Logger> loggers = CHECK_LOGGERS.stream().map(Logger::getLogger).toList();
        List<Level> levels = loggers.stream().map(Logger::getLevel).toList();
        loggers.forEach(logger -> logger.setLevel(Level.OFF));
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(levels.get(i));
            }
        }
    }
}
