package dev.switchboard.emulator.media;

import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A session description kept as its lines, so that what a peer sent can be handed back verbatim
 * (as {@code getRemoteSessionDescriptor} does) and what we build renders exactly as written.
 */
public record Sdp(List<String> sessionLines, List<Section> sections) {

    private static final Pattern LINE = Pattern.compile("[a-z]=.*");
    private static final List<String> DIRECTIONS = List.of("sendrecv", "sendonly", "recvonly", "inactive");

    public Sdp {
        sessionLines = List.copyOf(sessionLines);
        sections = List.copyOf(sections);
    }

    /** One media section: its {@code m=} line and everything up to the next one. */
    public record Section(String media, int port, String proto, List<String> formats, List<String> lines) {

        public Section {
            formats = List.copyOf(formats);
            lines = List.copyOf(lines);
        }

        public String mLine() {
            return "m=" + media + " " + port + " " + proto + (formats.isEmpty() ? "" : " " + String.join(" ", formats));
        }

        public boolean rejected() {
            return port == 0;
        }

        public Optional<String> attribute(String name) {
            return attributes(name).stream().findFirst();
        }

        public List<String> attributes(String name) {
            String prefix = "a=" + name + ":";
            return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length())).toList();
        }

        public boolean flag(String name) {
            return lines.contains("a=" + name);
        }

        public String mid() {
            return attribute("mid").orElse(null);
        }

        public String direction() {
            return DIRECTIONS.stream().filter(this::flag).findFirst().orElse("sendrecv");
        }

        /** Payload type to encoding ({@code opus/48000/2}), in the order of the m-line. */
        public Map<String, String> rtpmaps() {
            Map<String, String> byType = new LinkedHashMap<>();
            for (String value : attributes("rtpmap")) {
                int space = value.indexOf(' ');
                if (space > 0) {
                    byType.put(value.substring(0, space), value.substring(space + 1).trim());
                }
            }
            Map<String, String> ordered = new LinkedHashMap<>();
            for (String format : formats) {
                String encoding = byType.getOrDefault(format, staticEncoding(format));
                if (encoding != null) {
                    ordered.put(format, encoding);
                }
            }
            return ordered;
        }

        /** Values of {@code a=<name>:<pt> <value>} for one payload type. */
        public List<String> perPayload(String name, String payloadType) {
            String prefix = payloadType + " ";
            return attributes(name).stream().filter(value -> value.startsWith(prefix)).map(value -> value.substring(prefix.length())).toList();
        }

        public Section withLines(List<String> newLines) {
            return new Section(media, port, proto, formats, newLines);
        }

        public Section withPort(int newPort) {
            return new Section(media, newPort, proto, formats, lines);
        }

        private static String staticEncoding(String payloadType) {
            return switch (payloadType) {
                case "0" -> "PCMU/8000";
                case "8" -> "PCMA/8000";
                default -> null;
            };
        }
    }

    /** Parses an SDP the way KMS accepts one; anything else is KMS's "Invalid SDP". */
    public static Sdp parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n")));
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        if (lines.isEmpty() || !lines.getFirst().equals("v=0")) {
            throw invalid();
        }
        List<String> session = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        String[] mLine = null;
        List<String> current = new ArrayList<>();
        for (String line : lines) {
            if (!LINE.matcher(line).matches()) {
                throw invalid();
            }
            if (line.startsWith("m=")) {
                if (mLine != null) {
                    sections.add(section(mLine, current));
                }
                mLine = line.substring(2).split(" ");
                if (mLine.length < 3) {
                    throw invalid();
                }
                current = new ArrayList<>();
            } else if (mLine == null) {
                session.add(line);
            } else {
                current.add(line);
            }
        }
        if (mLine != null) {
            sections.add(section(mLine, current));
        }
        if (session.stream().noneMatch(line -> line.startsWith("o=")) || session.stream().noneMatch(line -> line.startsWith("s="))) {
            throw invalid();
        }
        return new Sdp(session, sections);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        sessionLines.forEach(line -> out.append(line).append("\r\n"));
        for (Section section : sections) {
            out.append(section.mLine()).append("\r\n");
            section.lines().forEach(line -> out.append(line).append("\r\n"));
        }
        return out.toString();
    }

    public Optional<String> sessionAttribute(String name) {
        String prefix = "a=" + name;
        return sessionLines.stream().filter(line -> line.equals(prefix) || line.startsWith(prefix + ":")).findFirst();
    }

    /** The index of the section a trickled candidate belongs to: by mid first, as browsers do, then by index. */
    public int sectionFor(String mid, int mLineIndex) {
        if (mid != null) {
            for (int i = 0; i < sections.size(); i++) {
                if (mid.equals(sections.get(i).mid())) {
                    return i;
                }
            }
        }
        return mLineIndex >= 0 && mLineIndex < sections.size() ? mLineIndex : -1;
    }

    private static Section section(String[] mLine, List<String> lines) {
        int port;
        try {
            String portText = mLine[1];
            int slash = portText.indexOf('/');
            port = Integer.parseInt(slash < 0 ? portText : portText.substring(0, slash));
        } catch (NumberFormatException e) {
            throw invalid();
        }
        List<String> formats = List.of(mLine).subList(3, mLine.length);
        return new Section(mLine[0], port, mLine[2], formats, lines);
    }

    private static KmsException invalid() {
        return KmsException.of(KmsError.SDP_PARSE_ERROR, "Invalid SDP");
    }
}
