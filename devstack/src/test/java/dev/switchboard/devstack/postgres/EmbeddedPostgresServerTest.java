package dev.switchboard.devstack.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.switchboard.devstack.process.ServiceProcess;
import dev.switchboard.devstack.support.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startServer() {
        postgres = EmbeddedPostgresServer.start(EmbeddedPostgresServer.Settings.defaults());
    }

    @AfterAll
    static void closeServer() {
        postgres.close();
        assertThat(postgres.dataDir()).doesNotExist();
    }

    @Test
    void servesTheSwitchboardDatabaseToItsOwner() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("switchboard");
            assertThat(rs.getString(2)).isEqualTo(postgres.username());
        }
    }

    @Test
    void aRestartKeepsPortAndData() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE calls (id text PRIMARY KEY)");
            s.execute("INSERT INTO calls VALUES ('call-1')");
        }
        String jdbcUrl = postgres.jdbcUrl();

        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        assertThatThrownBy(EmbeddedPostgresServerTest::connect).isInstanceOf(SQLException.class);
        postgres.restart();

        assertThat(postgres.jdbcUrl()).isEqualTo(jdbcUrl);
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM calls")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("call-1");
        }
    }

    @Test
    void takesOverFromAServerWhoseJvmWasKilled(@TempDir Path dir) throws IOException, SQLException {
        Path dataDir = dir.resolve("data");
        int port = Ports.free();
        ServiceProcess owner = ServiceProcess.builder("postgres-owner")
                .mainClass(System.getProperty("java.class.path"), PostgresInAnotherJvm.class.getName(),
                        dataDir.toString(), String.valueOf(port))
                .logFile(dir.resolve("owner.log"))
                .start();
        owner.awaitReady(Duration.ofSeconds(60));
        owner.kill();
        long leftoverPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst());
        assertThat(ProcessHandle.of(leftoverPid)).isPresent();

        try (EmbeddedPostgresServer successor = EmbeddedPostgresServer.start(
                EmbeddedPostgresServer.Settings.defaults().withDataDir(dataDir).withPort(port))) {
            assertThat(ProcessHandle.of(leftoverPid).filter(ProcessHandle::isAlive)).isEmpty();
            try (Connection c = DriverManager.getConnection(successor.jdbcUrl(), successor.username(), successor.password())) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
