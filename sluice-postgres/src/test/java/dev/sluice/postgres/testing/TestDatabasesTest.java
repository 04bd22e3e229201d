package dev.sluice.postgres.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDatabasesTest {

    @Test
    void unreachableServiceIsSkippedNamingTheAddress() throws IOException {
        int closedPort = unusedPort();
        TestDatabase database = TestDatabases.service("127.0.0.1", closedPort, false);

        assertThatThrownBy(database::jdbcUrl)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void unreachableServiceFailsOnCi() throws IOException {
        int closedPort = unusedPort();
        TestDatabase database = TestDatabases.service("127.0.0.1", closedPort, true);

        assertThatThrownBy(database::jdbcUrl)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("CI=true");
    }

    @Test
    void databasesAreIsolatedAndDroppedOnClose() throws SQLException {
        String name;
        try (TestDatabase first = TestDatabases.embedded(); TestDatabase second = first.another()) {
            try (Connection c = first.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE only_here (id int)");
            }
            assertThat(tableCount(second, "only_here")).isZero();
            assertThat(tableCount(first, "only_here")).isOne();
            name = first.name();
            try (TestDatabase other = TestDatabases.embedded()) {
                assertThat(databaseExists(other, name)).isTrue();
                first.close();
                assertThat(databaseExists(other, name)).isFalse();
            }
        }
    }

    private static long tableCount(TestDatabase database, String table) throws SQLException {
        return single(database, "SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'");
    }

    private static boolean databaseExists(TestDatabase database, String name) throws SQLException {
        return single(database, "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == 1;
    }

    private static long single(TestDatabase database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
