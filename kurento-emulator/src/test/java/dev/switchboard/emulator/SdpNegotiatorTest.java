package dev.switchboard.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.emulator.media.Sdp;
import dev.switchboard.emulator.media.SdpNegotiator;
import dev.switchboard.emulator.protocol.KmsException;
import org.junit.jupiter.api.Test;

/** Answers in KMS's shape: the fidelity that lets a browser negotiate against the emulator. */
class SdpNegotiatorTest {

    private static final SdpNegotiator.LocalIdentity IDENTITY =
            new SdpNegotiator.LocalIdentity("abcd", "0123456789abcdefghijkl", "AA:BB", "user1@host-00000001");
    private static final SdpNegotiator.Capabilities SENDRECV = new SdpNegotiator.Capabilities(false, false, false);

    @Test
    void answersChromiumExactlyAsKms() {
        String answer = SdpNegotiator.answer(Sdp.parse(Kms.chromiumOffer()), IDENTITY, SENDRECV, 4004461403L, () -> 1).render();

        assertThat(TraceMatcher.normalize(answer)).isEqualTo(TraceMatcher.normalize(Kms.kmsAnswer()));
    }

    @Test
    void rejectsWhatItCannotCarryAndAnswersDirections() {
        String offer = """
                v=0\r
                o=- 1 2 IN IP4 127.0.0.1\r
                s=-\r
                t=0 0\r
                a=group:BUNDLE 0 1 2\r
                m=audio 9 UDP/TLS/RTP/SAVPF 9 13\r
                a=mid:0\r
                a=rtpmap:9 G722/8000\r
                a=rtpmap:13 CN/8000\r
                m=video 9 UDP/TLS/RTP/SAVPF 96\r
                a=mid:1\r
                a=sendonly\r
                a=rtpmap:96 VP8/90000\r
                a=rtcp-mux\r
                m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r
                a=mid:2\r
                a=sctp-port:5000\r
                """;

        Sdp answer = SdpNegotiator.answer(Sdp.parse(offer), IDENTITY, SENDRECV, 1, () -> 7);

        assertThat(answer.sections()).extracting(Sdp.Section::port).containsExactly(0, 1, 0);
        assertThat(answer.sections().get(1).direction()).isEqualTo("recvonly");
        assertThat(answer.sessionAttribute("group")).contains("a=group:BUNDLE 1");
        Sdp withChannels = SdpNegotiator.answer(Sdp.parse(offer), IDENTITY, new SdpNegotiator.Capabilities(false, false, true), 1, () -> 7);
        assertThat(withChannels.sections().get(2).port()).isEqualTo(1);
        Sdp receiving = SdpNegotiator.answer(Sdp.parse(Kms.chromiumOffer()), IDENTITY, new SdpNegotiator.Capabilities(true, false, false), 1, () -> 7);
        assertThat(receiving.sections()).extracting(Sdp.Section::direction).containsOnly("recvonly");
    }

    @Test
    void refusesTextThatIsNotSdp() {
        assertThatThrownBy(() -> Sdp.parse("this is not sdp"))
                .isInstanceOfSatisfying(KmsException.class, error -> {
                    assertThat(error.code()).isEqualTo(40201);
                    assertThat(error.getMessage()).isEqualTo("Invalid SDP");
                });
        assertThatThrownBy(() -> Sdp.parse("v=0\r\nnonsense\r\n")).isInstanceOf(KmsException.class);
    }

    @Test
    void keepsAPeersDescriptionVerbatim() {
        assertThat(Sdp.parse(Kms.chromiumOffer()).render()).isEqualTo(Kms.chromiumOffer());
    }
}
