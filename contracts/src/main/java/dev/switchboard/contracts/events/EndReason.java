package dev.switchboard.contracts.events;

/** Why a participant left or a call ended (contract). */
public final class EndReason {

    public static final String LEAVE_ROOM = "leaveRoom";
    public static final String NETWORK_DISCONNECT = "networkDisconnect";
    public static final String EVICTED = "evicted";
    public static final String LAST_PARTICIPANT_LEFT = "lastParticipantLeft";
    public static final String CLOSED_BY_ADMIN = "closedByAdmin";
    public static final String MEDIA_SERVER_CRASHED = "mediaServerCrashed";
    public static final String CRASHED = "crashed";

    private EndReason() {
    }
}
