package dev.sluice.postgres.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * Fresh, isolated databases for integration tests, on the two servers the suite runs against: an embedded
 * PostgreSQL 17 (one per JVM, started on first use, stopped by a shutdown hook) and the machine's PostgreSQL 15
 * service at {@value #SERVICE_HOST}:{@value #SERVICE_PORT}. When the service is unreachable, its cases are skipped
 * with a message naming the address, except when the environment variable {@code CI} is {@code true}: CI has the
 * service, so there its absence fails the run.
 *
 * <p>To run a whole test class once per server, annotate it with {@link OnEachPostgres}; for one database, use
 * {@link #embedded()} and close it after.
 */
public final class TestDatabases {

    public static final String SERVICE_HOST = "127.0.0.1";
    public static final int SERVICE_PORT = 5432;

    private static EmbeddedPostgres embeddedServer;
    private static RuntimeException embeddedFailure;

    private TestDatabases() {
    }

    /** One new database on each server; the argument source of {@link OnEachPostgres}. */
    public static List<TestDatabase> each() {
        return List.of(embedded(), service());
    }

    /** A new database on the embedded PostgreSQL 17 of this JVM. */
    public static TestDatabase embedded() {
        return new TestDatabase("embedded PostgreSQL 17",
                () -> "jdbc:postgresql://localhost:" + embeddedServer().getPort() + "/");
    }

    /** A new database on the PostgreSQL service at {@value #SERVICE_HOST}:{@value #SERVICE_PORT}. */
    public static TestDatabase service() {
        return service(SERVICE_HOST, SERVICE_PORT, "true".equals(System.getenv("CI")));
    }

    static TestDatabase service(String host, int port, boolean onCi) {
        String address = host + ":" + port;
        String base = "jdbc:postgresql://" + address + "/";
        return new TestDatabase("PostgreSQL service at " + address, () -> {
            try (Connection probe = DriverManager.getConnection(base + "postgres?user=postgres&connectTimeout=2")) {
                return base;
            } catch (SQLException e) {
                String why = "PostgreSQL service at " + address + " is not reachable (" + e.getMessage() + ")";
                if (onCi) {
                    throw new IllegalStateException(why + "; CI=true, where it must run", e);
                }
                return Assumptions.abort(why + "; skipping its cases (they fail instead when CI=true)");
            }
        });
    }

    private static synchronized EmbeddedPostgres embeddedServer() {
        if (embeddedFailure != null) {
            throw embeddedFailure;
        }
        if (embeddedServer == null) {
            try {
                embeddedServer = EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
            } catch (IOException e) {
                embeddedFailure = new UncheckedIOException("could not start embedded PostgreSQL 17", e);
                throw embeddedFailure;
            }
        }
        return embeddedServer;
    }
}
