package dev.switchboard.devstack.testing;

import dev.switchboard.devstack.postgres.EmbeddedPostgresServer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.Map;

/**
 * A PostgreSQL database for {@code @QuarkusTest}s: a container where Docker runs, the embedded
 * server otherwise or when the init argument {@value #EMBEDDED} is true. Sets the datasource's
 * JDBC URL, user name and password.
 */
public class PostgresTestResource extends ContainerOrEmbeddedTestResource<PostgreSQLContainer, EmbeddedPostgresServer> {

    public static final String DEFAULT_IMAGE = "postgres:17-alpine";

    private static final Running<EmbeddedPostgresServer> SERVER =
            new Running<>("embedded PostgreSQL", PostgresTestResource.class, EmbeddedPostgresServer::close);

    public PostgresTestResource() {
        super(DEFAULT_IMAGE, SERVER);
    }

    @Override
    PostgreSQLContainer container(String image) {
        return new PostgreSQLContainer(image)
                .withDatabaseName(EmbeddedPostgresServer.DATABASE)
                .withUsername("switchboard")
                .withPassword("switchboard");
    }

    @Override
    Map<String, String> containerConfig(PostgreSQLContainer container) {
        return datasource(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    @Override
    EmbeddedPostgresServer startEmbedded() {
        return EmbeddedPostgresServer.start(EmbeddedPostgresServer.Settings.defaults());
    }

    @Override
    Map<String, String> embeddedConfig(EmbeddedPostgresServer postgres) {
        return datasource(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    private static Map<String, String> datasource(String jdbcUrl, String username, String password) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    /**
     * The running embedded server, for tests that stop or restart it.
     *
     * @throws IllegalStateException if the database runs in a container
     */
    public static EmbeddedPostgresServer postgres() {
        return SERVER.get();
    }
}
