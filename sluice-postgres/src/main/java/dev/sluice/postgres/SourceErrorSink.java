package dev.sluice.postgres;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;

/**
 * Rejects keyed by one text of their source position ({@code postgres_errors} with {@code layout: source}; the
 * lake's {@code lake_errors}): a Kinesis record's shard and sequence number, an SQS queue and message id (without
 * the receive count, so a redelivered reject adds nothing), an object's bucket, key and ETag; the reason and the raw
 * body. All rejects of one call are written in one transaction. Whatever the record holds, the table takes it
 * ({@link StorableText}: NUL and lone surrogates escaped, the body otherwise exactly as received; over-long
 * coordinates and reasons cut with a marker), so a reject is never refused and never stops the pipeline.
 *
 * <p>The table must look like {@link #createTableSql(String)}.
 */
public final class SourceErrorSink implements ErrorSink {

    private final DataSource dataSource;
    private final String insert;

    /** @param table the error table, optionally {@code schema.table}; must be a valid {@link SqlIdentifier} */
    public SourceErrorSink(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.insert = "INSERT INTO " + SqlIdentifier.table(table).sql() + " (source, reason, raw_body)"
                + " VALUES (?, ?, ?) ON CONFLICT (source) DO NOTHING";
    }

    /** The DDL of an error table this sink writes to (the lake's migration V1 made {@code lake_errors} so). */
    public static String createTableSql(String table) {
        return QueueErrorSink.errorTableSql(table, false, "source      text        NOT NULL UNIQUE");
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        if (rejects.isEmpty()) {
            return;
        }
        BatchTransaction.write(dataSource, insert, rejects, (statement, reject) -> {
            statement.setString(1, StorableText.bounded(source(reject.source().coordinates()),
                    StorableText.MAX_KEY_CHARS));
            statement.setString(2, StorableText.bounded(reject.reason(), StorableText.MAX_REASON_CHARS));
            statement.setString(3, StorableText.escaped(reject.source().body()));
        });
    }

    /** Stable across redeliveries: the SQS receive count is left out. */
    public static String source(SourceCoordinates coordinates) {
        return switch (coordinates) {
            case SourceCoordinates.Queue q -> "sqs:" + q.queue() + "/" + q.messageId();
            case SourceCoordinates.Stream s -> s.describe();
            case SourceCoordinates.StoredObject o -> o.describe();
        };
    }
}
