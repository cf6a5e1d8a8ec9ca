package dev.switchboard.devstack;

import dev.switchboard.devstack.support.QuietLogging;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The launcher's console shows warnings and errors only; the services log to their own files. */
final class LauncherLogging {

    // java.util.logging holds loggers weakly: a collected logger would forget its settings.
    private static final Logger ROOT = Logger.getLogger("");
    /** The broker warns at every stop that a client of its own is closed twice. */
    private static final Logger NETWORK_CLIENT = Logger.getLogger("org.apache.kafka.clients.NetworkClient");

    private LauncherLogging() {
    }

    static void install() {
        for (Handler handler : ROOT.getHandlers()) {
            ROOT.removeHandler(handler);
        }
        ROOT.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR,
                new PatternFormatter("%d{HH:mm:ss} %-5p [%c{1.}] %s%e%n")));
        ROOT.setLevel(Level.WARNING);
        QuietLogging.apply();
        NETWORK_CLIENT.setLevel(Level.SEVERE);
    }
}
