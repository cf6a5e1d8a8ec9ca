package dev.switchboard.contracts.protocol;

import static dev.switchboard.contracts.protocol.Checks.require;

/** A trickled ICE candidate, as the browser's RTCIceCandidate has it. */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {

    public IceCandidate {
        require(candidate != null, "candidate.candidate must be a string");
        require(sdpMid != null || sdpMLineIndex != null, "candidate needs sdpMid or sdpMLineIndex");
        require(sdpMLineIndex == null || sdpMLineIndex >= 0, "candidate.sdpMLineIndex must not be negative");
    }
}
