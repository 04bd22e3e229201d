package dev.sluice.postgres;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;

/**
 * Stores rejects of any source in one error table, a row per rejected message: where it came from (the source and
 * the message's natural key, which together are unique, so a redelivered reject adds nothing; and the coordinates
 * as first rejected), the reason and the raw payload, so a reject is data an operator can query and replay. All
 * rejects of one call are written in one transaction. Whatever the message holds, the table takes it
 * ({@link StorableText}), so a reject is never refused and never stops the pipeline.
 *
 * <p>The table must look like {@link #createTableSql(String)}.
 */
public final class PostgresErrorSink implements ErrorSink {

    /** The columns the sink writes, besides {@code rejected_at}. */
    public static final List<String> COLUMNS = List.of("source", "natural_key", "coordinates", "reason", "raw_body");
    /** The unique key that makes a redelivered reject add nothing. */
    public static final List<String> KEY = List.of("source", "natural_key");

    private final DataSource dataSource;
    private final SqlIdentifier table;
    private final String insert;

    /** @param table the error table, optionally {@code schema.table}; must be a valid {@link SqlIdentifier} */
    public PostgresErrorSink(DataSource dataSource, String table) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.table = SqlIdentifier.table(table);
        this.insert = "INSERT INTO " + this.table.sql() + " (" + String.join(", ", COLUMNS) + ", rejected_at)"
                + " VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (" + String.join(", ", KEY) + ") DO NOTHING";
    }

    /** The DDL of an error table this sink writes to; creates nothing when the table exists. */
    public static String createTableSql(String table) {
        return "CREATE TABLE IF NOT EXISTS " + SqlIdentifier.table(table).sql() + " (\n"
                + "    id          bigserial   PRIMARY KEY,\n"
                + "    source      text        NOT NULL,\n"
                + "    natural_key text        NOT NULL,\n"
                + "    coordinates text        NOT NULL,\n"
                + "    reason      text        NOT NULL,\n"
                + "    raw_body    text        NOT NULL,\n"
                + "    rejected_at timestamptz NOT NULL DEFAULT now(),\n"
                + "    UNIQUE (source, natural_key)\n"
                + ")";
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        if (rejects.isEmpty()) {
            return;
        }
        BatchTransaction.write(dataSource, insert, rejects, (statement, reject) -> {
            SourceCoordinates coordinates = reject.source().coordinates();
            statement.setString(1, StorableText.bounded(source(coordinates), StorableText.MAX_KEY_CHARS));
            statement.setString(2, StorableText.bounded(coordinates.naturalKey(), StorableText.MAX_KEY_CHARS));
            statement.setString(3, StorableText.bounded(coordinates.describe(), StorableText.MAX_KEY_CHARS));
            statement.setString(4, StorableText.bounded(reject.reason(), StorableText.MAX_REASON_CHARS));
            statement.setString(5, StorableText.escaped(reject.source().body()));
        });
    }

    /** The queue, stream or bucket a message was read from, as {@link SourceCoordinates#describe()} starts. */
    static String source(SourceCoordinates coordinates) {
        return switch (coordinates) {
            case SourceCoordinates.Queue queue -> "sqs:" + queue.queue();
            case SourceCoordinates.Stream stream -> "kinesis:" + stream.stream();
            case SourceCoordinates.StoredObject object -> "s3:" + object.bucket();
        };
    }

    @Override
    public String toString() {
        return "PostgresErrorSink[" + table + "]";
    }
}
