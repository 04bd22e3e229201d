package dev.sluice.postgres;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;

/**
 * Stores rejected queue messages in an error table, so a reject is data an operator can query and replay, and the
 * message can be deleted from the queue without being lost. The message id is the natural key: a redelivered
 * reject adds nothing. All rejects of one call are written in one transaction. Whatever the message holds, the
 * table takes it ({@link StorableText}: NUL and lone surrogates escaped, over-long coordinates and reasons cut with
 * a marker), so a reject is never refused and never stops the pipeline.
 *
 * <p>The table must look like {@link #createTableSql(String)}; a pipeline's Flyway migration creates it, e.g.:
 * <pre>{@code
 * CREATE TABLE login_errors (
 *     id            bigserial   PRIMARY KEY,
 *     queue         text        NOT NULL,
 *     message_id    text        NOT NULL UNIQUE,
 *     receive_count int         NOT NULL,
 *     reason        text        NOT NULL,
 *     raw_body      text        NOT NULL,
 *     rejected_at   timestamptz NOT NULL DEFAULT now()
 * );
 * }</pre>
 *
 * <p>Only {@link SourceCoordinates.Queue} coordinates are accepted; streams and stored objects need other columns.
 */
public final class QueueErrorSink implements ErrorSink {

    private final DataSource dataSource;
    private final SqlIdentifier table;
    private final String insert;

    /** @param table the error table, optionally {@code schema.table}; must be a valid {@link SqlIdentifier} */
    public QueueErrorSink(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlIdentifier.table(table);
        this.insert = "INSERT INTO " + this.table.sql()
                + " (queue, message_id, receive_count, reason, raw_body, rejected_at)"
                + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (message_id) DO NOTHING";
    }

    /** The DDL of an error table this sink writes to, for a pipeline's migration or a test. */
    public static String createTableSql(String table) {
        return errorTableSql(table, true, "queue         text        NOT NULL",
                "message_id    text        NOT NULL UNIQUE", "receive_count int         NOT NULL");
    }

    /**
     * An error table: an id, the columns of the source position, reason, raw body and when it was rejected.
     *
     * @param strict without {@code IF NOT EXISTS}: a migration that must create it
     */
    static String errorTableSql(String table, boolean strict, String... position) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(strict ? "" : "IF NOT EXISTS ")
                .append(SqlIdentifier.table(table).sql()).append(" (\n    id            bigserial   PRIMARY KEY,\n");
        for (String column : position) {
            sql.append("    ").append(column).append(",\n");
        }
        return sql.append("    reason        text        NOT NULL,\n")
                .append("    raw_body      text        NOT NULL,\n")
                .append("    rejected_at   timestamptz NOT NULL DEFAULT now()\n)").toString();
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        if (rejects.isEmpty()) {
            return;
        }
        BatchTransaction.write(dataSource, insert, rejects, (statement, reject) -> {
            SourceCoordinates.Queue queue = queueCoordinates(reject);
            statement.setString(1, StorableText.bounded(queue.queue(), StorableText.MAX_KEY_CHARS));
            statement.setString(2, StorableText.bounded(queue.messageId(), StorableText.MAX_KEY_CHARS));
            statement.setInt(3, queue.receiveCount());
            statement.setString(4, StorableText.bounded(reject.reason(), StorableText.MAX_REASON_CHARS));
            statement.setString(5, StorableText.escaped(reject.source().body()));
        });
    }

    private SourceCoordinates.Queue queueCoordinates(Rejected reject) {
        if (reject.source().coordinates() instanceof SourceCoordinates.Queue queue) {
            return queue;
        }
        throw new IllegalArgumentException("error table " + table + " stores rejects from queues only, got "
                + reject.source().coordinates().describe());
    }

    @Override
    public String toString() {
        return "QueueErrorSink[" + table + "]";
    }
}
