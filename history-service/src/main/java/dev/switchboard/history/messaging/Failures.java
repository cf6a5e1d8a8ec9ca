package dev.switchboard.history.messaging;

import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

import java.sql.SQLException;

/** Tells a database that is away or busy from a record it will never take. */
final class Failures {

    private Failures() {
    }

    /**
     * Worth trying the same records again: no connection (SQLState class 08), the server shutting down (57P),
     * a serialization failure or deadlock (40), an exhausted pool (no SQLState), or another consumer that
     * changed the same call (optimistic lock, during a rebalance).
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                return state == null || state.startsWith("08") || state.startsWith("57P") || state.startsWith("40");
            }
        }
        return false;
    }

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Text PostgreSQL takes: it refuses the NUL character, which a JSON string may carry. */
    static String text(String value) {
        return value == null ? null : value.replace("\0", "\\u0000");
    }
}
