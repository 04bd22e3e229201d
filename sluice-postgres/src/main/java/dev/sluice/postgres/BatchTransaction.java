package dev.sluice.postgres;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/** One prepared statement executed as a batch of rows in one transaction: every row is written, or none. */
final class BatchTransaction {

    /** Binds one row's values to the statement's parameters. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private BatchTransaction() {
    }

    static <T> void write(DataSource dataSource, String sql, Collection<T> rows, Binder<T> binder)
            throws SQLException {
        Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (T row : rows) {
                    binder.bind(statement, row);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }
}
