package dev.sluice.postgres.testing;

import dev.sluice.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An embedded PostgreSQL 17 that a test can stop and start again on the same port and data directory, so clients
 * configured once see "database down" and then "database back" with their data intact.
 *
 * <pre>{@code
 * try (RestartablePostgres postgres = RestartablePostgres.start(tempDir)) {
 *     PostgresDatabase db = new PostgresDatabase(postgres.settings());
 *     postgres.stop();      // writes now fail
 *     postgres.start();     // same URL works again
 * }
 * }</pre>
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Initialises a cluster in {@code dataDirectory} (an empty directory the caller owns) and starts it. */
    public static RestartablePostgres start(Path dataDirectory) throws IOException {
        RestartablePostgres postgres = new RestartablePostgres(Objects.requireNonNull(dataDirectory), freePort());
        postgres.start();
        return postgres;
    }

    /** Starts the server again on the same port and data directory; does nothing if it is running. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    /** Stops the server (fast shutdown: open connections are cut); the data stays. */
    public synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        EmbeddedPostgres running = server;
        server = null;
        running.close();
    }

    public int port() {
        return port;
    }

    /** The URL of the {@code postgres} database, valid across restarts. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    public PostgresSettings settings() {
        return new PostgresSettings(jdbcUrl());
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
