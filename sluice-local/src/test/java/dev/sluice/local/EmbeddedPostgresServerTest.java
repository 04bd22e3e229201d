package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path directory;

    @Test
    void dataSurvivesStopAndStartOnTheSamePort() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory.resolve("postgres"))) {
            int port = server.port();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=postgres");
            execute(server.jdbcUrl(), "CREATE TABLE survivor (name text)", "INSERT INTO survivor VALUES ('still here')");

            server.stop();

            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl()).close()).isInstanceOf(SQLException.class);

            server.start();

            assertThat(server.port()).isEqualTo(port);
            assertThat(query(server.jdbcUrl(), "SELECT name FROM survivor")).isEqualTo("still here");
            assertThat(query(server.jdbcUrl(), "SELECT current_database()")).isEqualTo("sluice");
            assertThat(query(server.jdbcUrl(), "SHOW server_version")).startsWith("17.");
        }
    }

    @Test
    void dataSurvivesANewServerOnTheSameDirectory() throws SQLException {
        Path data = directory.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data)) {
            execute(first.jdbcUrl(), "CREATE TABLE survivor (name text)", "INSERT INTO survivor VALUES ('kept')");
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data)) {
            assertThat(query(second.jdbcUrl(), "SELECT name FROM survivor")).isEqualTo("kept");
            assertThat(second.describe()).isEqualTo("Postgres  " + second.jdbcUrl() + "  data: " + data);
        }
    }

    @Test
    void aPostmasterPidNamingAnUnrelatedLiveProcessDoesNotBlockStart() throws Exception {
        Path data = directory.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data)) {
            execute(first.jdbcUrl(), "CREATE TABLE survivor (name text)", "INSERT INTO survivor VALUES ('kept')");
        }
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            // What a SIGKILLed run leaves once its pid has been reused: PostgreSQL itself refuses to start on this.
            Files.writeString(data.resolve("postmaster.pid"), unrelated.pid() + "\n" + data.toAbsolutePath() + "\n");

            try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data)) {
                assertThat(query(again.jdbcUrl(), "SELECT name FROM survivor")).isEqualTo("kept");
                assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
            }
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void postgresLeftRunningByAKilledJvmIsStoppedAndItsDataKept() throws Exception {
        Path data = directory.resolve("postgres");
        long orphan;
        try (ChildJvm child = ChildJvm.start(PostgresHolder.class, data.toString())) {
            orphan = Long.parseLong(child.awaitLine("READY ", Duration.ofSeconds(90)).split(" ")[1]);
            child.kill();
            assertThat(ProcessHandle.of(orphan)).as("Postgres outlives its SIGKILLed JVM").hasValueSatisfying(
                    process -> assertThat(process.isAlive()).isTrue());
        }

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data)) {
            assertThat(query(server.jdbcUrl(), "SELECT id::text FROM written_before_kill")).isEqualTo("7");
            assertThat(PostmasterPidFile.INSTANCE.readPid(data.toAbsolutePath())).isPresent().get().isNotEqualTo(orphan);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() {
        Path data = directory.resolve("postgres");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(data))
                    .isInstanceOf(AlreadyInUseException.class)
                    .hasMessage("another sluice Postgres is using " + data + " (pid " + ProcessHandle.current().pid() + ")");
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void aTakenPortIsReportedClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedPostgresServer server = new EmbeddedPostgresServer(directory.resolve("postgres"), taken.getLocalPort())) {
            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    static void execute(String jdbcUrl, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static String query(String jdbcUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as("a row from " + sql).isTrue();
            return row.getString(1);
        }
    }
}
