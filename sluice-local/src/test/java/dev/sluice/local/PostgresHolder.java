package dev.sluice.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Main class of a child JVM that starts Postgres, writes a row and waits to be killed. */
final class PostgresHolder {

    private PostgresHolder() {
    }

    public static void main(String[] arguments) throws InterruptedException, SQLException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(arguments[0]));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE written_before_kill (id int)");
            statement.execute("INSERT INTO written_before_kill VALUES (7)");
        }
        long postmaster = PostmasterPidFile.INSTANCE.readPid(server.dataDirectory().toAbsolutePath().normalize()).orElseThrow();
        System.out.println("READY " + server.port() + " " + postmaster);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
