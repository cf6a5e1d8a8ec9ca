package dev.switchboard.devstack.support;

import java.nio.file.Path;

/**
 * A server that devstack runs on 127.0.0.1 and that keeps its port and its data across
 * {@link #stop()} and {@link #restart()}, so tests can take it away and bring it back. A data
 * directory it created itself is temporary: {@link #close()} deletes it.
 */
public abstract class EmbeddedServer implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private final boolean temporaryDataDir;

    /**
     * @param port       0 for a free port
     * @param dataDir    {@code null} for a new temporary directory
     * @param tempPrefix how the name of a temporary directory starts
     */
    protected EmbeddedServer(int port, Path dataDir, String tempPrefix) {
        QuietLogging.apply();
        this.temporaryDataDir = dataDir == null;
        this.dataDir = temporaryDataDir ? Directories.createTemp(tempPrefix) : dataDir;
        this.port = port == 0 ? Ports.free() : port;
    }

    /** Starts the server again on the same port and data; stops it first if it runs. */
    public abstract void restart();

    /** Stops the server, keeping its data; {@link #restart()} brings it back. */
    public abstract void stop();

    public abstract boolean isRunning();

    public final int port() {
        return port;
    }

    public final Path dataDir() {
        return dataDir;
    }

    /** Stops the server and deletes its data if it lives in a temporary directory. */
    @Override
    public synchronized void close() {
        stop();
        if (temporaryDataDir) {
            Directories.deleteQuietly(dataDir);
        }
    }
}
