package dev.switchboard.history.call;

public final class InvalidRequestException extends HistoryException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
