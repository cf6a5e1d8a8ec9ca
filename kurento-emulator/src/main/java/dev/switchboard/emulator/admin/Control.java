package dev.switchboard.emulator.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.emulator.EmulatedObject;
import dev.switchboard.emulator.EmulatedSession;
import java.time.Duration;
import java.util.List;

/**
 * What can be inspected and broken in a running emulator: the one implementation behind both the
 * admin HTTP API and the Java methods of {@code KurentoEmulator}. Called on the emulator's event loop.
 */
public interface Control {

    ObjectNode info();

    List<EmulatedObject> objects();

    List<EmulatedSession> sessions();

    ObjectNode faults();

    /** Cuts every client socket; sessions and objects live on until collected. Returns how many were cut. */
    int dropConnections();

    /**
     * Forgets every object and session and takes a new server id, as a restarted KMS would; for
     * {@code downtime} it refuses new WebSocket connections, as a server that is still starting.
     */
    String restart(Duration downtime);

    void delay(String method, Duration delay);

    void failNext(String method, int count, int code, String message);

    /** Takes frames but answers nothing (not even events) for a while, then catches up. */
    void unresponsive(Duration duration);

    /** While on, remote candidates added to endpoints never connect: ICE stays CONNECTING. */
    void unreachableCandidates(boolean unreachable);

    /** The peer of a WebRtcEndpoint vanishes: its media stops, then its media state goes DISCONNECTED. */
    void peerLost(String endpointId);

    /**
     * The network between a WebRtcEndpoint and its peer stalls ({@code true}): its media stops, then its media
     * state goes DISCONNECTED, as with {@link #peerLost}; or recovers ({@code false}): the media flows again.
     */
    void peerStalled(String endpointId, boolean stalled);

    /** Raises an Error event on an object, as a failing GStreamer element would. */
    void raiseError(String objectId, String type, String description, int errorCode);

    void clearFaults();

    /** Runs one garbage-collector pass now. */
    void collectGarbage();
}
