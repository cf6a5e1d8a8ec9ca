package dev.switchboard.contracts.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The version of the format a record on Kafka was written in, {@code MAJOR.MINOR} on the wire. Within one major
 * version every change is an addition an older reader can do without, so a reader takes any minor of its major,
 * ignoring what it does not know; another major is refused (docs/operations.md, "Format versions").
 */
public record FormatVersion(int major, int minor) {

    /** What this build writes. */
    public static final FormatVersion CURRENT = new FormatVersion(1, 0);
    /** What a record that names no version is: one written before records carried theirs. */
    public static final FormatVersion UNVERSIONED = new FormatVersion(1, 0);

    public FormatVersion {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("no format version " + major + "." + minor);
        }
    }

    @JsonCreator
    public static FormatVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            return new FormatVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("a format version is MAJOR.MINOR, not " + text, e);
        }
    }

    /**
     * The version a record was written in, absent meaning {@link #UNVERSIONED}, once it is known to be readable.
     *
     * @param what the record, as a person looking for it would name it
     * @throws IncompatibleFormatException when it is of another major version than this build's
     */
    public static FormatVersion requireReadable(FormatVersion written, String what) {
        FormatVersion version = written == null ? UNVERSIONED : written;
        if (version.major != CURRENT.major) {
            throw new IncompatibleFormatException(what, version);
        }
        return version;
    }

    @JsonValue
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
