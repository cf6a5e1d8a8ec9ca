package dev.switchboard.devstack.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServiceProcessTest {

    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ServiceProcess.Builder tiny(String name) {
        return ServiceProcess.builder(name)
                .mainClass(System.getProperty("java.class.path"), TinyService.class.getName())
                .logFile(dir.resolve(name + ".log"));
    }

    @Test
    void waitsUntilReadyThenStopsGracefully() throws IOException {
        ServiceProcess service = tiny("graceful").env("TINY_READY_AFTER_MS", "500").env("KAFKA_BOOTSTRAP_SERVERS", "here:1").start();

        service.awaitReady(READY);

        assertThat(ProcessHandle.of(service.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(Files.readString(service.logFile()))
                .contains(TinyService.STARTED)
                .contains("KAFKA_BOOTSTRAP_SERVERS=here:1")
                .contains("QUARKUS_HTTP_PORT=" + service.port());

        service.stop();

        assertThat(service.isAlive()).isFalse();
        assertThat(service.exitCode()).isEqualTo(143);
        assertThat(Files.readString(service.logFile())).contains(TinyService.STOPPED_GRACEFULLY);
    }

    @Test
    void killEndsTheProcessAbruptly() throws IOException {
        ServiceProcess service = tiny("killed").start();
        service.awaitReady(READY);

        service.kill();

        assertThat(service.isAlive()).isFalse();
        assertThat(service.exitCode()).isEqualTo(137);
        assertThat(Files.readString(service.logFile())).doesNotContain(TinyService.STOPPED_GRACEFULLY);
    }

    @Test
    void aServiceThatDiesFailsTheWaitAtOnceWithItsLog() {
        ServiceProcess service = tiny("failing").env("TINY_FAIL", "true").start();

        long started = System.nanoTime();
        assertThatThrownBy(() -> service.awaitReady(READY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failing exited with code 3 before it was ready")
                .hasMessageContaining(TinyService.FAILING);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRestartedServiceAppendsToItsLog() throws IOException {
        ServiceProcess.Builder builder = tiny("restarted");
        ServiceProcess first = builder.start();
        first.awaitReady(READY);
        first.kill();

        ServiceProcess second = builder.start();
        second.awaitReady(READY);
        second.stop();

        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(Files.readString(second.logFile()).split(TinyService.STARTED, -1)).hasSize(3);
    }

    @Test
    void childrenDoNotOutliveTheirStarter() throws IOException {
        Path childLog = dir.resolve("child.log");
        ServiceProcess parent = ServiceProcess.builder("parent")
                .mainClass(System.getProperty("java.class.path"), TinyParent.class.getName(), childLog.toString())
                .logFile(dir.resolve("parent.log"))
                .start();
        parent.awaitReady(READY);
        long childPid = Files.readAllLines(parent.logFile()).stream()
                .filter(line -> line.startsWith(TinyParent.CHILD_PID))
                .mapToLong(line -> Long.parseLong(line.substring(TinyParent.CHILD_PID.length())))
                .findFirst().orElseThrow();
        assertThat(ProcessHandle.of(childPid)).isPresent();

        parent.stop();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
        assertThat(Files.readString(childLog)).contains(TinyService.STOPPED_GRACEFULLY);
    }

    @Test
    void aMissingQuarkusBuildIsReportedWithWhatToDo() {
        assertThatThrownBy(() -> ServiceProcess.builder("unbuilt").quarkusApp(dir.resolve("unbuilt")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus-run.jar does not exist: build the services first");
    }
}
