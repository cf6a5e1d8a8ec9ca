package dev.switchboard.devstack.postgres;

import dev.switchboard.devstack.support.EmbeddedServer;
import dev.switchboard.devstack.support.ShutdownActions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's binaries, run as a child process) with a database
 * {@value #DATABASE} owned by the user of the same name. It keeps its port and data across
 * {@link #stop()} and {@link #restart()}, so tests can take the database away and bring it back.
 */
public final class EmbeddedPostgresServer extends EmbeddedServer {

    public static final String DATABASE = "switchboard";
    private static final String USER = "switchboard";
    private static final String PASSWORD = "switchboard";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());

    /**
     * How to start the server.
     *
     * @param port     0 for a free port (kept across restarts)
     * @param dataDir  the cluster directory; {@code null} for a temporary one that {@link #close()} deletes
     */
    public record Settings(int port, Path dataDir) {

        public static Settings defaults() {
            return new Settings(0, null);
        }

        public Settings withPort(int port) {
            return new Settings(port, dataDir);
        }

        public Settings withDataDir(Path dataDir) {
            return new Settings(port, dataDir);
        }
    }

    private EmbeddedPostgres postgres;
    private ShutdownActions.Registration atExit;

    private EmbeddedPostgresServer(Settings settings) {
        super(settings.port(), settings.dataDir(), "switchboard-postgres");
    }

    public static EmbeddedPostgresServer start(Settings settings) {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(settings);
        try {
            server.restart();
            server.createDatabase();
            // PostgreSQL runs as its own process: without this it would outlive the JVM.
            server.atExit = ShutdownActions.register("PostgreSQL on port " + server.port(), server::stop);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts the server again on the same port and data; stops it first if it runs. */
    @Override
    public synchronized void restart() {
        stop();
        stopLeftover(dataDir());
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port())
                    .setDataDirectory(dataDir())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start on port " + port(), e);
        }
    }

    /**
     * Stops a server left running in {@code dataDir} by a JVM that was killed: it would hold the
     * directory and the port. PostgreSQL records its process id in postmaster.pid.
     */
    public static void stopLeftover(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (Stream<String> lines = Files.lines(pidFile)) {
            Optional<ProcessHandle> leftover = lines.findFirst()
                    .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid.trim())))
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
            if (leftover.isPresent()) {
                LOG.warning("stopping PostgreSQL process " + leftover.get().pid() + " left running in " + dataDir);
                // SIGINT is PostgreSQL's fast shutdown, which ends client sessions; SIGTERM would wait for them.
                new ProcessBuilder("kill", "-INT", String.valueOf(leftover.get().pid())).inheritIO().start().waitFor();
                leftover.get().onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (IOException | NumberFormatException | ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "cannot stop a PostgreSQL left running in " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void createDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'").next()) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            if (!s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + DATABASE, e);
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended), keeping its data. */
    @Override
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "stopping the embedded PostgreSQL failed", e);
            }
            postgres = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Stops the server, withdraws its stop at exit and deletes its data if it lives in a temporary directory. */
    @Override
    public synchronized void close() {
        // Stopped before the exit action goes, so that no moment passes in which neither would stop it.
        stop();
        if (atExit != null) {
            atExit.close();
        }
        super.close();
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + jdbcUrl() + ", " + dataDir() + "]";
    }
}
