package dev.switchboard.emulator.media;

import java.util.Locale;
import java.util.Optional;

/** An ICE candidate line, parsed as far as libnice needs it. */
public record IceCandidate(String foundation, int component, String transport, long priority, String address, int port,
        String type, String tcpType) {

    /**
     * Parses {@code candidate:...} (with or without a leading {@code a=}). Anything libnice cannot read
     * yields empty: KMS accepts such a candidate and silently ignores it.
     */
    public static Optional<IceCandidate> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String line = text.startsWith("a=") ? text.substring(2) : text;
        if (!line.startsWith("candidate:")) {
            return Optional.empty();
        }
        String[] tokens = line.substring("candidate:".length()).trim().split("\\s+");
        if (tokens.length < 8 || !tokens[6].equals("typ")) {
            return Optional.empty();
        }
        try {
            String tcpType = null;
            for (int i = 8; i + 1 < tokens.length; i += 2) {
                if (tokens[i].equals("tcptype")) {
                    tcpType = tokens[i + 1];
                }
            }
            return Optional.of(new IceCandidate(tokens[0], Integer.parseInt(tokens[1]), tokens[2].toUpperCase(Locale.ROOT),
                    Long.parseLong(tokens[3]), tokens[4], Integer.parseInt(tokens[5]), tokens[7], tcpType));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A host candidate of this end, numbered and prioritised the way KMS's libnice numbers them. */
    public static IceCandidate host(int kind, int component, String transport, String address, int port, String tcpType) {
        long base = switch (kind) {
            case 1 -> 2015364095L;
            case 2 -> 1015022591L;
            default -> 1010828287L;
        };
        return new IceCandidate(String.valueOf(kind), component, transport, base - (component - 1), address, port, "host", tcpType);
    }

    /** The candidate as KMS prints it in events and descriptions, without the browser's extensions. */
    @Override
    public String toString() {
        return "candidate:" + foundation + " " + component + " " + transport + " " + priority + " " + address + " " + port
                + " typ " + type + (tcpType == null ? "" : " tcptype " + tcpType);
    }
}
