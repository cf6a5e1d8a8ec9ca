package dev.switchboard.history.call;

/** The call does not exist, or the reader did not take part in it: the two are not told apart. */
public final class CallNotFoundException extends HistoryException {

    public CallNotFoundException(String callId) {
        super("no call " + callId);
    }
}
