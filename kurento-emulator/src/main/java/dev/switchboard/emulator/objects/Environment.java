package dev.switchboard.emulator.objects;

import dev.switchboard.emulator.MediaTimings;
import dev.switchboard.emulator.media.Scheduler;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * What the simulated objects need from the server around them.
 *
 * @param fingerprint      the DTLS certificate fingerprint, one per server as on KMS
 * @param address          the address put in ICE candidates
 * @param peersUnreachable whether remote candidates added now should never connect
 */
public record Environment(Scheduler scheduler, MediaTimings timings, RandomGenerator random, String fingerprint,
        String address, BooleanSupplier peersUnreachable, long creationTimeSeconds) {
}
