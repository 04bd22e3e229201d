package dev.sluice.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Work in one transaction on a pooled connection: committed when it returns, rolled back when it throws. */
public final class Transactions {

    /** The work, given the connection whose transaction it runs in. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T in(Connection connection) throws SQLException, E;
    }

    private Transactions() {
    }

    public static <T, E extends Exception> T inTransaction(DataSource dataSource, Work<T, E> work)
            throws SQLException, E {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    // The connection is broken (the usual reason the work failed); the server rolls back on its own.
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        }
    }
}
