package dev.sluice.postgres;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Sink;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Writes deliveries as rows of one table, idempotently: all rows of a {@link #write} go in one transaction with
 * multi-row {@code INSERT … ON CONFLICT (natural key) DO NOTHING}, so a redelivered message adds nothing.
 *
 * <p>Rows are sent in chunks whose sizes are powers of two, each chunk binding fewer than 32,767 parameters (the
 * driver's limit). Power-of-two sizes keep the set of distinct statements small (at most about 15 per table), so
 * their SQL is built once and the server can reuse their plans.
 *
 * <p>Errors are classified by {@link PostgresFailures}: a refusal of the data itself (SQLState class 22 or 23)
 * becomes a {@link dev.sluice.core.engine.DestinationRejectedException} naming the table and rule but no value, so
 * the runner isolates the refused rows into rejects; a setup that retrying cannot mend (no privilege, no table) a
 * {@link dev.sluice.core.engine.PermanentFailureException}; every other {@link SQLException} propagates as
 * transient.
 */
public final class BatchInsertSink<T> implements Sink<T> {

    /** Most parameters one statement may bind; the PostgreSQL driver allows 32,767. */
    static final int MAX_PARAMETERS = 32_766;

    private final DataSource dataSource;
    private final TableSpec spec;
    private final RowMapper<T> mapper;
    private final SqlIdentifier table;
    private final int columnCount;
    private final int maxRowsPerChunk;
    private final String insertPrefix;
    private final String onConflict;
    private final String rowPlaceholders;
    private final ConcurrentHashMap<Integer, String> sqlByChunkSize = new ConcurrentHashMap<>();

    public BatchInsertSink(DataSource dataSource, TableSpec spec, RowMapper<T> mapper) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.table = SqlIdentifier.table(spec.table());
        this.columnCount = spec.columns().size();
        this.maxRowsPerChunk = Integer.highestOneBit(MAX_PARAMETERS / columnCount);
        this.insertPrefix = "INSERT INTO " + table.sql() + " ("
                + spec.columns().stream().map(c -> SqlIdentifier.column(c).sql()).collect(Collectors.joining(", "))
                + ") VALUES ";
        this.onConflict = " ON CONFLICT (" + SqlIdentifier.column(spec.conflictColumn()).sql() + ") DO NOTHING";
        this.rowPlaceholders = "(" + "?, ".repeat(columnCount - 1) + "?)";
    }

    public TableSpec spec() {
        return spec;
    }

    @Override
    public void write(List<Delivery<T>> deliveries) throws Exception {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            Transactions.inTransaction(dataSource, connection -> {
                insertInChunks(connection, deliveries);
                return null;
            });
        } catch (SQLException e) {
            throw PostgresFailures.classify(e, table);
        }
    }

    private void insertInChunks(Connection connection, List<Delivery<T>> deliveries) throws SQLException {
        int start = 0;
        while (start < deliveries.size()) {
            int size = Math.min(maxRowsPerChunk, Integer.highestOneBit(deliveries.size() - start));
            insertChunk(connection, deliveries.subList(start, start + size));
            start += size;
        }
    }

    private void insertChunk(Connection connection, List<Delivery<T>> chunk) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql(chunk.size()))) {
            int parameter = 1;
            for (Delivery<T> delivery : chunk) {
                Object[] row = mapper.toRow(delivery);
                if (row == null || row.length != columnCount) {
                    throw new IllegalStateException("row mapper for table " + table + " returned "
                            + (row == null ? "null" : row.length + " values") + " for "
                            + delivery.source().coordinates().describe() + "; expected " + columnCount
                            + " values for " + spec.columns());
                }
                for (Object value : row) {
                    statement.setObject(parameter++, bindable(value));
                }
            }
            statement.executeUpdate();
        }
    }

    private String sql(int rows) {
        return sqlByChunkSize.computeIfAbsent(rows, n -> {
            StringBuilder sql = new StringBuilder(insertPrefix.length() + n * (rowPlaceholders.length() + 2)
                    + onConflict.length());
            sql.append(insertPrefix);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                sql.append(rowPlaceholders);
            }
            return sql.append(onConflict).toString();
        });
    }

    /** The driver has no binding for {@link Instant}; a UTC offset date-time means the same instant. */
    private static Object bindable(Object value) {
        return value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
    }
}
