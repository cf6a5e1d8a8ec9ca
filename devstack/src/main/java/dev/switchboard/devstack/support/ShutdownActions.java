package dev.switchboard.devstack.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What must happen when the JVM exits, run by one shutdown hook in reverse order of registration:
 * what started last stops first, as services before the infrastructure they use. Separate hooks
 * would run all at once, in no order.
 */
public final class ShutdownActions {

    private static final Logger LOG = Logger.getLogger(ShutdownActions.class.getName());
    private static final Deque<Registration> ACTIONS = new ArrayDeque<>();
    private static boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownActions::runAll, "devstack-shutdown"));
    }

    private ShutdownActions() {
    }

    /** A registered action; {@link #close()} withdraws it once its owner has cleaned up by itself. */
    public static final class Registration implements AutoCloseable {

        private final String name;
        private final Runnable action;

        private Registration(String name, Runnable action) {
            this.name = name;
            this.action = action;
        }

        @Override
        public void close() {
            synchronized (ACTIONS) {
                ACTIONS.remove(this);
            }
        }
    }

    /**
     * @throws IllegalStateException if the JVM is already shutting down: whatever was just started
     *                               must be stopped by the caller at once
     */
    public static Registration register(String name, Runnable action) {
        Registration registration = new Registration(name, action);
        synchronized (ACTIONS) {
            if (shuttingDown) {
                throw new IllegalStateException("the JVM is shutting down; " + name + " must not start");
            }
            ACTIONS.push(registration);
        }
        return registration;
    }

    private static void runAll() {
        synchronized (ACTIONS) {
            shuttingDown = true;
        }
        while (true) {
            Registration next;
            synchronized (ACTIONS) {
                next = ACTIONS.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping " + next.name + " at exit failed", e);
            }
        }
    }
}
