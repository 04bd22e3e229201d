package dev.sluice.postgres.job;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The connections of one scheduled job: a data source over the jobs' pool that remembers every connection it hands
 * out until it is closed, so that {@link #abortOpen()} can make a run that hangs on a dead connection return. A
 * blocked socket read or write ignores {@link Thread#interrupt()}; aborting the connection closes its socket, the
 * blocked call throws, and the pool replaces the connection.
 */
public final class JobConnections implements DataSource {
    /** Aborting closes the socket at once: nothing is left to run later. */
    private static final Executor NOW = Runnable::run;

    private final DataSource pool;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    public JobConnections(DataSource pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return remembered(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return remembered(pool.getConnection(username, password));
    }

    /**
     * Aborts every connection handed out and not closed yet; each call blocked on one fails. Returns how many were
     * aborted.
     */
    public int abortOpen() {
        int aborted = 0;
        for (Connection connection : open) {
            open.remove(connection);
            if (aborted(connection)) {
                aborted++;
            }
        }
        return aborted;
    }

    private static boolean aborted(Connection connection) {
        try {
            if (connection.isClosed()) {
                return false;
            }
            connection.abort(NOW);
            return true;
        } catch (SQLException e) {
            // Closed between the check and the abort: the run is done with it, nothing is blocked on it.
            return false;
        }
    }

    private Connection remembered(Connection connection) throws SQLException {
        open.removeIf(JobConnections::closed);
        open.add(connection);
        return connection;
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
