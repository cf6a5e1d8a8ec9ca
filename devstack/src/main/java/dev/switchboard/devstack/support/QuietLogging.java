package dev.switchboard.devstack.support;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded infrastructure at WARN: a broker logs hundreds of INFO lines per start, which
 * would bury the output of the tests and services around it. Works through java.util.logging, which
 * is the JBoss LogManager wherever Quarkus runs and in the launcher.
 */
public final class QuietLogging {

    private static final List<String> CATEGORIES = List.of(
            "kafka", "org.apache.kafka", "state.change.logger",
            "io.zonky", "org.testcontainers", "com.github.dockerjava", "tc");

    /** It warns of the empty metadata log at every first start of a broker, which is normal here. */
    private static final String CONTROLLER = "org.apache.kafka.controller.QuorumController";

    // java.util.logging holds loggers weakly: a collected logger would forget its level.
    private static final List<Logger> QUIETED = CATEGORIES.stream().map(Logger::getLogger).toList();
    private static final Logger CONTROLLER_LOGGER = Logger.getLogger(CONTROLLER);

    private QuietLogging() {
    }

    public static void apply() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        CONTROLLER_LOGGER.setLevel(Level.SEVERE);
    }
}
