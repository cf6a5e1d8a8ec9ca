package dev.switchboard.loadgen.scenario;

/**
 * One benchmark: what it drives, what it measures. A scenario records into its {@link Run}'s
 * measurements and says what it could not do in notes; a part that cannot run against the target
 * throws {@link dev.switchboard.loadgen.target.Target.Skipped}.
 */
public sealed interface Scenario permits SetMediaRoundTrip, JoinLatency, FanOut, ConnectionCapacity, RoomCapacity, CallCapacity, HistoryLag,
        Recovery {

    /** File name and table key, such as {@code join-1000}. */
    String id();

    String title();

    void run(Run run);
}
