package dev.switchboard.devstack.postgres;

import dev.switchboard.devstack.process.TinyService;

import java.nio.file.Path;

/** Runs an embedded PostgreSQL on the data directory and port given, and reports ready over HTTP. */
public final class PostgresInAnotherJvm {

    private PostgresInAnotherJvm() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer.start(EmbeddedPostgresServer.Settings.defaults()
                .withDataDir(Path.of(args[0]))
                .withPort(Integer.parseInt(args[1])));
        TinyService.main(new String[0]);
    }
}
