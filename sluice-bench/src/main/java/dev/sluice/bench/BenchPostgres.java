package dev.sluice.bench;

import dev.sluice.local.EmbeddedPostgresServer;
import dev.sluice.local.EmbeddedStack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Where a benchmark's sink tables live (issue 14: measured against a Postgres that commits as production does).
 * {@code service}: a fresh database on the machine's PostgreSQL service, which {@code adminUrl} drops on close; its
 * server runs with {@code fsync} and {@code synchronous_commit} on. {@code embedded}: the embedded stack's server,
 * which zonky starts with {@code -F} (fsync off, which no session can turn on) and {@code synchronous_commit=off};
 * the database is set to {@code synchronous_commit=on}, but its commits still never wait for the disk.
 */
record BenchPostgres(String jdbcUrl, String adminUrl, String database) implements AutoCloseable {
    static final String SERVICE = "service";
    static final String EMBEDDED = "embedded";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}");
    private static final String SERVICE_USER = "postgres";

    /**
     * {@code where} is {@link #SERVICE} (on {@code server}, {@code host:port}, user {@value #SERVICE_USER}, trust
     * authentication) or {@link #EMBEDDED}; either way the database gets {@code synchronous_commit=on}.
     */
    static BenchPostgres open(String where, String server, EmbeddedStack stack) throws SQLException {
        BenchPostgres postgres;
        if (where.equals(EMBEDDED)) {
            postgres = new BenchPostgres(stack.postgres().jdbcUrl(), stack.postgres().jdbcUrl(),
                    EmbeddedPostgresServer.DATABASE);
        } else if (where.equals(SERVICE)) {
            if (!HOST_PORT.matcher(server).matches()) {
                throw new IllegalArgumentException("--postgres-server must be host:port, was '" + server + "'");
            }
            // Digits only after a fixed prefix: a valid identifier, and no clash with another benchmark's.
            String database = "sluice_bench_" + ProcessHandle.current().pid();
            String admin = "jdbc:postgresql://" + server + "/postgres?user=" + SERVICE_USER;
            execute(admin, "DROP DATABASE IF EXISTS " + database);
            execute(admin, "CREATE DATABASE " + database);
            postgres = new BenchPostgres("jdbc:postgresql://" + server + "/" + database + "?user=" + SERVICE_USER,
                    admin, database);
        } else {
            throw new IllegalArgumentException("--postgres must be " + SERVICE + " or " + EMBEDDED + ", was '" + where
                    + "'");
        }
        // A database setting applies to every new session (the workers' pools), over the server's command line.
        execute(postgres.jdbcUrl, "ALTER DATABASE " + postgres.database + " SET synchronous_commit = on");
        return postgres;
    }

    /** What a new session sees: {@code synchronous_commit=on fsync=on wal_sync_method=fdatasync; PostgreSQL 15.x}. */
    String describe() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_commit'), current_setting('fsync'), "
                     + "current_setting('wal_sync_method'), version()")) {
            rs.next();
            if (!rs.getString(1).equals("on")) {
                throw new IllegalStateException("synchronous_commit is " + rs.getString(1) + " in a new session");
            }
            return "synchronous_commit=" + rs.getString(1) + " fsync=" + rs.getString(2) + " wal_sync_method="
                    + rs.getString(3) + "; " + rs.getString(4).replaceAll(" on .*", "") + " ("
                    + (database.equals(EmbeddedPostgresServer.DATABASE) ? "embedded" : "service, database " + database)
                    + ")";
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Drops the service database (the embedded one goes with its stack). */
    @Override
    public void close() throws SQLException {
        if (!adminUrl.equals(jdbcUrl)) {
            execute(adminUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
