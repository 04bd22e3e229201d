package dev.sluice.postgres.testing;

import dev.sluice.postgres.PostgresSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A fresh database of its own on one PostgreSQL server, created on first use and dropped by {@link #close()}. Being
 * lazy lets a test run skip (or fail on CI) at the point it needs a server that is not there, with a message naming
 * the server, instead of failing the whole run while arguments are built.
 */
public final class TestDatabase implements AutoCloseable {

    private final String description;
    private final Supplier<String> serverUrl;
    private final String name = "sluice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private String serverBase;
    private boolean created;
    private boolean closed;

    /**
     * @param description shown as the test's display name, e.g. {@code embedded PostgreSQL 17}
     * @param serverUrl   gives {@code jdbc:postgresql://host:port/} of a running server, or throws (or aborts the
     *                    test) when there is none
     */
    TestDatabase(String description, Supplier<String> serverUrl) {
        this.description = Objects.requireNonNull(description, "description");
        this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    }

    /** Another fresh database on the same server, for a test that needs one of its own; close it. */
    public TestDatabase another() {
        return new TestDatabase(description, serverUrl);
    }

    /** The database's name, {@code sluice_test_<random>}. */
    public String name() {
        return name;
    }

    /** A JDBC URL of this database with {@code ?user=postgres}, creating the database on first use. */
    public synchronized String jdbcUrl() {
        ensureCreated();
        return serverBase + name + "?user=postgres";
    }

    /** Settings for a {@link dev.sluice.postgres.PostgresDatabase} on this database, with default pool settings. */
    public PostgresSettings settings() {
        return new PostgresSettings(jdbcUrl());
    }

    /** A plain, unpooled connection for setting up and checking tables; close it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Drops the database (closing whatever connections still use it); does nothing if it was never created. */
    @Override
    public synchronized void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (created) {
            try (Connection admin = DriverManager.getConnection(serverBase + "postgres?user=postgres");
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private void ensureCreated() {
        if (closed) {
            throw new IllegalStateException("test database " + name + " on " + description + " is already dropped");
        }
        if (created) {
            return;
        }
        serverBase = serverUrl.get();
        try (Connection admin = DriverManager.getConnection(serverBase + "postgres?user=postgres");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + " on " + description, e);
        }
        created = true;
    }
}
