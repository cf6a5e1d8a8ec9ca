package dev.switchboard.devstack;

import dev.switchboard.devstack.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DevStackTest {

    @TempDir
    Path root;

    @Test
    void launchesTellsWhereToConnectAndLeavesNothingBehind() throws Exception {
        FakeRepository.create(root);
        ServiceProcess launcher = ServiceProcess.builder("devstack")
                .mainClass(System.getProperty("java.class.path"), DevStack.class.getName())
                .env("KMS_URL", "")
                .workingDir(root.resolve(SwitchboardStack.GATEWAY))
                .logFile(root.resolve("launcher.log"))
                .start();
        try {
            await().atMost(Duration.ofSeconds(90))
                    .failFast("the launcher exited", () -> !launcher.isAlive())
                    .until(() -> Files.readString(launcher.logFile()).contains("Ctrl-C stops everything."));

            assertThat(Files.readString(launcher.logFile()))
                    .contains("Switchboard is running.")
                    .containsPattern("Signaling \\(WebSocket\\) +ws://localhost:\\d+/signaling")
                    .containsPattern("History API +http://localhost:\\d+/calls")
                    .containsPattern("Kurento +ws://127.0.0.1:\\d+/kurento +\\(emulator")
                    .contains("Logs                    .devstack/logs/{room-service.log,history-service.log,signaling-gateway.log}")
                    .containsPattern("curl 'http://localhost:\\d+/dev/token\\?user=alice&room=demo'");
        } finally {
            Path state = root.resolve(".devstack");
            List<Long> services = Files.readAllLines(state.resolve(SwitchboardStack.PID_FILE)).stream().map(Long::valueOf).toList();
            long postgres = Long.parseLong(Files.readAllLines(state.resolve("data/postgres/postmaster.pid")).getFirst());

            launcher.stop();

            assertThat(Files.readString(launcher.logFile())).contains("devstack: stopped.");
            assertThat(services).hasSize(3).allSatisfy(pid -> assertThat(isAlive(pid)).isFalse());
            // pg_ctl returns once the server has removed its pid file, a moment before its process ends.
            await().atMost(Duration.ofSeconds(10)).until(() -> !isAlive(postgres));
        }
    }

    @Test
    void findsTheRepositoryFromAModuleFolder() throws IOException {
        for (String service : SwitchboardStack.SERVICES) {
            Files.createDirectories(root.resolve(service));
        }

        assertThat(DevStack.findRepositoryRoot(root.resolve("room-service"))).isEqualTo(root);
        assertThatThrownBy(() -> DevStack.findRepositoryRoot(Path.of("/")))
                .hasMessageContaining("run me from the Switchboard repository");
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
