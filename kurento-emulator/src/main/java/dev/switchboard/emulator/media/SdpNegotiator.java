package dev.switchboard.emulator.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the descriptions a WebRtcEndpoint hands out, in the shape KMS 7.3 gives them: its answer to
 * a browser offer (same mids and BUNDLE group, only the codecs KMS handles, {@code a=setup:active},
 * no candidates since ICE is trickled), its own offers, and its local description once candidates
 * have been gathered.
 */
public final class SdpNegotiator {

    private static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** What KMS 7.3 keeps of a Chromium offer; everything else (red, rtx, ulpfec, G722, CN, DTMF) is dropped. */
    private static final Set<String> AUDIO_CODECS = Set.of("opus/48000", "pcmu/8000", "pcma/8000");
    private static final Set<String> VIDEO_CODECS = Set.of("vp8/90000", "h264/90000", "vp9/90000", "av1/90000");
    /** Congestion control through transport-wide feedback is not something KMS answers to. */
    private static final String UNSUPPORTED_FEEDBACK = "transport-cc";

    /** What identifies this end of a session: ICE credentials, DTLS fingerprint and RTP cname. */
    public record LocalIdentity(String ufrag, String pwd, String fingerprint, String cname) {
    }

    /** Constructor flags of a WebRtcEndpoint that shape what it negotiates. */
    public record Capabilities(boolean recvonly, boolean sendonly, boolean dataChannels) {
    }

    private SdpNegotiator() {
    }

    public static Sdp answer(Sdp offer, LocalIdentity identity, Capabilities capabilities, long sessionVersion, SsrcSource ssrcs) {
        List<Sdp.Section> sections = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (Sdp.Section offered : offer.sections()) {
            Sdp.Section answered = answerSection(offered, identity, capabilities, ssrcs);
            sections.add(answered);
            if (!answered.rejected() && offered.mid() != null) {
                accepted.add(offered.mid());
            }
        }
        List<String> session = sessionHeader(sessionVersion);
        offer.sessionAttribute("extmap-allow-mixed").ifPresent(session::add);
        offer.sessionAttribute("msid-semantic").ifPresent(session::add);
        offer.sessionAttribute("group").ifPresent(group -> {
            List<String> bundled = List.of(group.substring("a=group:BUNDLE".length()).trim().split(" +"));
            List<String> mids = bundled.stream().filter(accepted::contains).toList();
            if (group.startsWith("a=group:BUNDLE") && !mids.isEmpty()) {
                session.add("a=group:BUNDLE " + String.join(" ", mids));
            }
        });
        return new Sdp(session, sections);
    }

    public static Sdp offer(LocalIdentity identity, Capabilities capabilities, boolean audio, boolean video,
            long sessionVersion, SsrcSource ssrcs) {
        List<Sdp.Section> sections = new ArrayList<>();
        String direction = direction("sendrecv", capabilities);
        if (audio) {
            sections.add(new Sdp.Section("audio", 1, "UDP/TLS/RTP/SAVPF", List.of("96", "0", "8"), rtpLines(
                    String.valueOf(sections.size()), direction, "actpass", identity, ssrcs,
                    List.of("a=rtpmap:96 opus/48000/2", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000"),
                    List.of(), List.of("a=fmtp:96 minptime=10;useinbandfec=1"))));
        }
        if (video) {
            List<String> feedback = new ArrayList<>();
            for (String payloadType : List.of("102", "103")) {
                for (String value : List.of("goog-remb", "ccm fir", "nack", "nack pli")) {
                    feedback.add("a=rtcp-fb:" + payloadType + " " + value);
                }
            }
            sections.add(new Sdp.Section("video", 1, "UDP/TLS/RTP/SAVPF", List.of("102", "103"), rtpLines(
                    String.valueOf(sections.size()), direction, "actpass", identity, ssrcs,
                    List.of("a=rtpmap:102 VP8/90000", "a=rtpmap:103 H264/90000"), feedback,
                    List.of("a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"))));
        }
        if (capabilities.dataChannels()) {
            sections.add(new Sdp.Section("application", 1, "UDP/DTLS/SCTP", List.of("webrtc-datachannel"),
                    dataLines(String.valueOf(sections.size()), "actpass", "5000", identity)));
        }
        List<String> session = sessionHeader(sessionVersion);
        if (!sections.isEmpty()) {
            session.add("a=group:BUNDLE " + sections.stream().map(Sdp.Section::mid).collect(Collectors.joining(" ")));
        }
        return new Sdp(session, sections);
    }

    /**
     * The local description once candidates are known: the default candidate's port in each m-line,
     * the connection address moved into the sections, and every candidate listed.
     */
    public static Sdp withCandidates(Sdp local, String address, int defaultPort, List<String> candidateLines) {
        List<String> session = local.sessionLines().stream().filter(line -> !line.startsWith("c=")).toList();
        List<Sdp.Section> sections = new ArrayList<>();
        for (Sdp.Section section : local.sections()) {
            if (section.rejected()) {
                sections.add(section);
                continue;
            }
            List<String> lines = new ArrayList<>();
            lines.add("c=IN IP4 " + address);
            for (String line : section.lines()) {
                lines.add(line.startsWith("a=rtcp:") ? "a=rtcp:" + defaultPort + " IN IP4 " + address : line);
            }
            lines.addAll(candidateLines);
            sections.add(section.withPort(defaultPort).withLines(lines));
        }
        return new Sdp(session, sections);
    }

    /** Whether the peer that sent this description sends media of the section's kind. */
    public static boolean peerSends(Sdp.Section section) {
        String direction = section.direction();
        return !section.rejected() && (direction.equals("sendrecv") || direction.equals("sendonly"));
    }

    /** Source of RTP synchronisation sources, so tests can pin them. */
    @FunctionalInterface
    public interface SsrcSource {
        long next();
    }

    private static Sdp.Section answerSection(Sdp.Section offered, LocalIdentity identity, Capabilities capabilities, SsrcSource ssrcs) {
        String setup = offered.attribute("setup").filter("active"::equals).map(ignored -> "passive").orElse("active");
        if (offered.media().equals("application") && capabilities.dataChannels() && !offered.rejected()) {
            String sctpPort = offered.attribute("sctp-port").orElse("5000");
            return new Sdp.Section("application", 1, offered.proto(), offered.formats(), dataLines(offered.mid(), setup, sctpPort, identity));
        }
        MediaType type = MediaType.ofSdpMedia(offered.media());
        Map<String, String> codecs = offered.rtpmaps();
        List<String> kept = codecs.entrySet().stream()
                .filter(codec -> supported(type, codec.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        if (type == null || offered.rejected() || kept.isEmpty()) {
            return reject(offered);
        }
        List<String> rtpmaps = kept.stream().map(pt -> "a=rtpmap:" + pt + " " + codecs.get(pt)).toList();
        List<String> feedback = new ArrayList<>();
        List<String> fmtps = new ArrayList<>();
        for (String payloadType : kept) {
            offered.perPayload("rtcp-fb", payloadType).stream()
                    .filter(value -> !value.equals(UNSUPPORTED_FEEDBACK))
                    .forEach(value -> feedback.add("a=rtcp-fb:" + payloadType + " " + value));
            offered.perPayload("fmtp", payloadType).forEach(value -> fmtps.add("a=fmtp:" + payloadType + " " + value));
        }
        List<String> lines = new ArrayList<>();
        offered.attributes("extmap").stream()
                .filter(value -> value.endsWith(" " + ABS_SEND_TIME))
                .findFirst()
                .ifPresent(value -> lines.add("a=extmap:" + value));
        lines.addAll(rtpLines(offered.mid(), direction(answerDirection(offered.direction()), capabilities), setup, identity, ssrcs,
                rtpmaps, feedback, fmtps));
        if (!offered.flag("rtcp-mux")) {
            lines.remove("a=rtcp-mux");
        }
        return new Sdp.Section(offered.media(), 1, offered.proto(), kept, lines);
    }

    private static List<String> rtpLines(String mid, String direction, String setup, LocalIdentity identity, SsrcSource ssrcs,
            List<String> rtpmaps, List<String> feedback, List<String> fmtps) {
        List<String> lines = new ArrayList<>();
        lines.add("a=" + direction);
        if (mid != null) {
            lines.add("a=mid:" + mid);
        }
        lines.add("a=rtcp:9 IN IP4 0.0.0.0");
        lines.addAll(rtpmaps);
        lines.addAll(feedback);
        lines.add("a=setup:" + setup);
        lines.add("a=rtcp-mux");
        lines.addAll(fmtps);
        lines.add("a=ssrc:" + ssrcs.next() + " cname:" + identity.cname());
        lines.addAll(credentials(identity));
        return lines;
    }

    private static List<String> dataLines(String mid, String setup, String sctpPort, LocalIdentity identity) {
        List<String> lines = new ArrayList<>();
        if (mid != null) {
            lines.add("a=mid:" + mid);
        }
        lines.add("a=sctp-port:" + sctpPort);
        lines.add("a=setup:" + setup);
        lines.addAll(credentials(identity));
        return lines;
    }

    private static List<String> credentials(LocalIdentity identity) {
        return List.of("a=ice-ufrag:" + identity.ufrag(), "a=ice-pwd:" + identity.pwd(), "a=fingerprint:sha-256 " + identity.fingerprint());
    }

    private static Sdp.Section reject(Sdp.Section offered) {
        List<String> lines = new ArrayList<>();
        if (offered.mid() != null) {
            lines.add("a=mid:" + offered.mid());
        }
        lines.add("a=inactive");
        return new Sdp.Section(offered.media(), 0, offered.proto(), offered.formats(), lines);
    }

    private static List<String> sessionHeader(long sessionVersion) {
        return new ArrayList<>(List.of(
                "v=0",
                "o=- " + sessionVersion + " " + sessionVersion + " IN IP4 0.0.0.0",
                "s=Kurento Media Server",
                "c=IN IP4 0.0.0.0",
                "t=0 0"));
    }

    private static boolean supported(MediaType type, String encoding) {
        String[] parts = encoding.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2) {
            return false;
        }
        String codec = parts[0] + "/" + parts[1];
        return type == MediaType.AUDIO ? AUDIO_CODECS.contains(codec) : VIDEO_CODECS.contains(codec);
    }

    private static String answerDirection(String offered) {
        return switch (offered) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            case "inactive" -> "inactive";
            default -> "sendrecv";
        };
    }

    /** An endpoint created recvonly (or sendonly) never sends (or receives), whatever the peer asks. */
    private static String direction(String wanted, Capabilities capabilities) {
        if (capabilities.recvonly()) {
            return wanted.equals("sendrecv") || wanted.equals("recvonly") ? "recvonly" : "inactive";
        }
        if (capabilities.sendonly()) {
            return wanted.equals("sendrecv") || wanted.equals("sendonly") ? "sendonly" : "inactive";
        }
        return wanted;
    }
}
