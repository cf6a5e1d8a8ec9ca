package dev.switchboard.devstack.testing;

import dev.switchboard.emulator.EmulatorSettings;
import dev.switchboard.emulator.KurentoEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;

/**
 * Two Kurento emulators for a {@code @QuarkusTest} of a room-service with several media servers: sets
 * {@code switchboard.kms.url} to both, in order. Use it restricted to the annotated class, with a test profile
 * of its own, so that other tests keep their single media server.
 */
public class KurentoEmulatorPairTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile List<KurentoEmulator> emulators;

    @Override
    public Map<String, String> start() {
        emulators = List.of(KurentoEmulator.start(EmulatorSettings.defaults()),
                KurentoEmulator.start(EmulatorSettings.defaults()));
        return Map.of("switchboard.kms.url", emulators.get(0).url() + "," + emulators.get(1).url());
    }

    @Override
    public void stop() {
        if (emulators != null) {
            emulators.forEach(KurentoEmulator::close);
            emulators = null;
        }
    }

    /** The running emulators, in the order room-service was given them. */
    public static List<KurentoEmulator> emulators() {
        List<KurentoEmulator> running = emulators;
        if (running == null) {
            throw new IllegalStateException("the Kurento emulators do not run: annotate the test with"
                    + " @QuarkusTestResource(value = KurentoEmulatorPairTestResource.class, restrictToAnnotatedClass = true)");
        }
        return running;
    }
}
