package dev.sluice.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 whose data lives in a directory of the user's, kept across restarts, so that the laptop stack
 * remembers what the pipelines wrote. It can be stopped and started again on the same port and data, which crash
 * tests use to take the database away mid-run, and it recovers from a run that was killed with SIGKILL.
 */
public final class EmbeddedPostgresServer extends RestartableServer {

    /** Where the laptop stack keeps its database unless told otherwise. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("./.sluice/postgres");
    /** The database pipelines write to; created on first start. */
    public static final String DATABASE = "sluice";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String HOST = LoopbackPort.HOST;
    private static final String SUPERUSER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private EmbeddedPostgres postgres;

    /** A server for {@code dataDirectory} on a port chosen at first start; call {@link #start()}. */
    public EmbeddedPostgresServer(Path dataDirectory) {
        this(dataDirectory, 0);
    }

    /** A server for {@code dataDirectory} on {@code port}, or on a port chosen at first start when 0. */
    public EmbeddedPostgresServer(Path dataDirectory, int port) {
        super("Postgres", "server", dataDirectory, port);
    }

    /** Starts a server for {@code dataDirectory} on a free port. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return new EmbeddedPostgresServer(dataDirectory).start();
    }

    /**
     * Starts the server, or starts it again after {@link #stop()} on the same port and data. Takes the data
     * directory's lock on first start and keeps it until {@link #close()}.
     *
     * @throws AlreadyInUseException when another server holds the data directory
     */
    @Override
    public EmbeddedPostgresServer start() {
        super.start();
        return this;
    }

    @Override
    protected int startOn(int requestedPort) {
        PostmasterPidFile.INSTANCE.removeStale(absoluteDataDirectory());
        int port = reserveLoopbackPort();
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(absoluteDataDirectory())
                    .setCleanDataDirectory(false)
                    // Whoever owns the server stops it: a JVM hook would stop Postgres while pipelines still drain.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", HOST)
                    // TCP only: a Unix socket lock file in /tmp could outlive a killed run and block the next start.
                    .setServerConfig("unix_socket_directories", "''")
                    .setPGStartupWait(STARTUP_WAIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Postgres on port " + port + " with data in " + dataDirectory(), e);
        }
        try {
            createDatabaseIfMissing();
        } catch (RuntimeException e) {
            stopAfterFailure(e);
            throw e;
        }
        return port;
    }

    @Override
    protected boolean serving() {
        return postgres != null;
    }

    /** Fast shutdown: open connections are closed. */
    @Override
    protected void stopServer() {
        Optional<Long> postmaster = PostmasterPidFile.INSTANCE.readPid(absoluteDataDirectory());
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop Postgres on port " + port(), e);
        } finally {
            postgres = null;
        }
        // pg_ctl returns once postmaster.pid is gone, a moment before the process exits and frees the port.
        Optional<ProcessHandle> process = postmaster.flatMap(ProcessHandle::of);
        if (process.isPresent() && !ServerPidFile.awaitExit(process.get(), STOP_WAIT)) {
            throw new IllegalStateException("Postgres (pid " + process.get().pid() + ") on port " + port()
                    + " did not stop within " + STOP_WAIT);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/sluice?user=postgres}; stays valid across stop and start. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE + "?user=" + SUPERUSER;
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("SLUICE_POSTGRES_URL", jdbcUrl());
    }

    @Override
    public String describe() {
        return String.format("%-9s %s  data: %s", "Postgres", jdbcUrl(), dataDirectory());
    }

    private void stopAfterFailure(RuntimeException failure) {
        try {
            stop();
        } catch (RuntimeException stopFailure) {
            failure.addSuppressed(stopFailure);
        }
    }

    private void createDatabaseIfMissing() {
        String adminUrl = "jdbc:postgresql://" + HOST + ":" + port() + "/postgres?user=" + SUPERUSER;
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            requireOwnDataDirectory(statement);
            try (ResultSet existing = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (existing.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
            log.info("Created database {}", DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare database " + DATABASE + " on port " + port(), e);
        }
    }

    private void requireOwnDataDirectory(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SHOW data_directory")) {
            row.next();
            Path served = Path.of(row.getString(1)).toAbsolutePath().normalize();
            if (!served.equals(absoluteDataDirectory())) {
                throw new IllegalStateException("the Postgres answering on port " + port() + " serves " + served
                        + ", not " + absoluteDataDirectory());
            }
        }
    }
}
