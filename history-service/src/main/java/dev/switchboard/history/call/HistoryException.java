package dev.switchboard.history.call;

/** What a reader of the history did wrong; the REST edge turns each kind into its status. */
public abstract sealed class HistoryException extends RuntimeException
        permits InvalidRequestException, CallNotFoundException {

    protected HistoryException(String message) {
        super(message);
    }
}
