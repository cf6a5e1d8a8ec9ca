package dev.switchboard.contracts.json;

/** A record of a major format version this build does not read: refused rather than half understood. */
public class IncompatibleFormatException extends IllegalStateException {

    public IncompatibleFormatException(String what, FormatVersion written) {
        super(what + " is in format " + written + ", which this build (format " + FormatVersion.CURRENT
                + ") cannot read: it reads format " + FormatVersion.CURRENT.major() + ".x only");
    }
}
