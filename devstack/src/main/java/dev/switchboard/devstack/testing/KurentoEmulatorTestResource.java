package dev.switchboard.devstack.testing;

import dev.switchboard.emulator.EmulatorSettings;
import dev.switchboard.emulator.KurentoEmulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The Kurento emulator for {@code @QuarkusTest}s, on a free port of the loopback interface. Sets {@code kms.url}. */
public class KurentoEmulatorTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile KurentoEmulator emulator;

    @Override
    public Map<String, String> start() {
        emulator = KurentoEmulator.start(EmulatorSettings.defaults());
        return Map.of("kms.url", emulator.url());
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /** The running emulator, for tests that drive or inspect it. */
    public static KurentoEmulator emulator() {
        KurentoEmulator running = emulator;
        if (running == null) {
            throw new IllegalStateException("the Kurento emulator does not run: annotate the test with"
                    + " @QuarkusTestResource(KurentoEmulatorTestResource.class)");
        }
        return running;
    }
}
