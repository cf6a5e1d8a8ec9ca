package dev.switchboard.loadgen.target;

import dev.switchboard.devstack.SwitchboardStack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Switchboard under test. {@code local} is present when the harness started the stack itself,
 * and only then can it read the services' memory, kill and restart them.
 *
 * @param kafkaBootstrap for producing room events straight to Kafka (history lag)
 * @param kmsUrl         the Kurento the room-service uses, for the floor
 */
public record Target(URI signaling, URI history, String jwtSecret, Optional<String> kafkaBootstrap,
                     Optional<String> kmsUrl, Optional<Local> local) {

    /**
     * The stack the harness started, the Kurento emulator it started for it, the repository its
     * services were built in, and how long its room-service keeps an empty room (shortened, so one
     * scenario's rooms are gone before the next measures memory).
     */
    public record Local(SwitchboardStack stack, EmulatorProcess emulator, Path repository, Duration emptyRoomTimeout) {
    }

    /** The local stack, or a {@link Skipped} that says what a scenario needed it for. */
    public Local requireLocal(String forWhat) {
        return local.orElseThrow(() -> new Skipped(forWhat + " needs the stack the harness starts itself (no --signaling)"));
    }

    public String requireKafka(String forWhat) {
        return kafkaBootstrap.orElseThrow(() -> new Skipped(forWhat + " needs Kafka: give --kafka HOST:PORT"));
    }

    public String requireKms(String forWhat) {
        return kmsUrl.orElseThrow(() -> new Skipped(forWhat + " needs the room-service's Kurento: give --kms ws://..."));
    }

    /** A scenario, or part of one, that cannot run against this target. */
    public static final class Skipped extends RuntimeException {
        public Skipped(String why) {
            super(why, null, false, false);
        }
    }
}
