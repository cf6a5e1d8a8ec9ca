package dev.switchboard.devstack;

import dev.switchboard.contracts.messaging.Topics;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.devstack.process.TinyService;
import dev.switchboard.emulator.EmulatorSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.devstack.SwitchboardStack.GATEWAY;
import static dev.switchboard.devstack.SwitchboardStack.HISTORY_SERVICE;
import static dev.switchboard.devstack.SwitchboardStack.ROOM_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchboardStackTest {

    @TempDir
    Path root;

    @Test
    void wiresTheServicesToTheEmbeddedInfrastructure() throws Exception {
        FakeRepository.create(root);
        SwitchboardStack.Options options = SwitchboardStack.Options.forTests(root, root.resolve("stack"))
                .withServiceEnv(ROOM_SERVICE, "SWITCHBOARD_ROOM_GRACE", "2s")
                .withEmulatorSettings(EmulatorSettings.defaults().withGcPeriod(Duration.ofSeconds(7)));
        List<ServiceProcess> started;
        SwitchboardStack stack = SwitchboardStack.start(options);
        try {
            String bootstrap = stack.kafka().bootstrapServers();
            assertThat(stack.signalingUrl()).isEqualTo("ws://localhost:" + stack.service(GATEWAY).port() + "/signaling");
            assertThat(log(stack, ROOM_SERVICE)).contains(
                    "KAFKA_BOOTSTRAP_SERVERS=" + bootstrap, "KMS_URL=" + stack.kmsUrl(), "SWITCHBOARD_ROOM_GRACE=2s",
                    "SWITCHBOARD_JWT_SECRET=" + stack.jwtSecret());
            assertThat(log(stack, HISTORY_SERVICE)).contains(
                    "QUARKUS_DATASOURCE_JDBC_URL=" + stack.postgres().jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME=" + stack.postgres().username(),
                    "QUARKUS_DATASOURCE_PASSWORD=" + stack.postgres().password());
            assertThat(log(stack, GATEWAY)).contains("SWITCHBOARD_DEV_TOKENS_ENABLED=true", "KAFKA_BOOTSTRAP_SERVERS=" + bootstrap);
            assertThat(stack.emulator().orElseThrow().settings().gcPeriod()).isEqualTo(Duration.ofSeconds(7));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
            }

            ServiceProcess crashed = stack.service(ROOM_SERVICE);
            crashed.kill();
            ServiceProcess restarted = stack.restartService(ROOM_SERVICE);

            assertThat(restarted.pid()).isNotEqualTo(crashed.pid());
            assertThat(restarted.port()).isEqualTo(crashed.port());
            assertThat(stack.service(ROOM_SERVICE)).isSameAs(restarted);
            started = stack.services();
        } finally {
            stack.close();
        }

        assertThat(started).noneMatch(ServiceProcess::isAlive);
        assertThat(stack.kafka().isRunning()).isFalse();
        assertThat(stack.postgres().isRunning()).isFalse();
    }

    @Test
    void aServiceThatDiesFailsTheStartAtOnceAndStopsTheRest() throws Exception {
        FakeRepository.create(root);
        SwitchboardStack.Options options = SwitchboardStack.Options.forTests(root, root.resolve("stack"))
                .withServiceEnv(HISTORY_SERVICE, "TINY_FAIL", "true")
                .withServiceEnv(GATEWAY, "TINY_READY_AFTER_MS", "600000");

        long started = System.nanoTime();
        assertThatThrownBy(() -> SwitchboardStack.start(options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("history-service exited with code 3 before it was ready")
                .hasMessageContaining(TinyService.FAILING);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        List<Long> pids = Files.readAllLines(root.resolve("stack").resolve(SwitchboardStack.PID_FILE)).stream()
                .map(Long::valueOf).toList();
        assertThat(pids).hasSize(3).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aMissingBuildFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> SwitchboardStack.start(SwitchboardStack.Options.forTests(root, root.resolve("stack"))))
                .hasMessageContaining("quarkus-run.jar does not exist: build the services first");
        assertThat(root.resolve("stack")).doesNotExist();
    }

    private static String log(SwitchboardStack stack, String service) throws IOException {
        return Files.readString(stack.service(service).logFile());
    }
}
