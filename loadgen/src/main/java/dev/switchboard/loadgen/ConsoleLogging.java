package dev.switchboard.loadgen;

import dev.switchboard.devstack.support.QuietLogging;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warnings and errors only, on stderr, so the progress line stays readable; the services log to their
 * own files. A class of its own so that no logger exists before main has chosen the LogManager.
 */
final class ConsoleLogging {

    // java.util.logging holds loggers weakly: a collected logger would forget its level.
    private static final Logger ROOT = Logger.getLogger("");
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.kurento"),
            Logger.getLogger("org.apache.kafka.clients.NetworkClient"));

    private ConsoleLogging() {
    }

    static void install() {
        for (Handler handler : ROOT.getHandlers()) {
            ROOT.removeHandler(handler);
        }
        ROOT.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR,
                new PatternFormatter("%n%d{HH:mm:ss} %-5p [%c{1.}] %s%e%n")));
        ROOT.setLevel(Level.WARNING);
        QuietLogging.apply();
        QUIETED.forEach(logger -> logger.setLevel(Level.SEVERE));
    }
}
