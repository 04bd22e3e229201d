package dev.sluice.postgres.plugin;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.ErrorsPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresErrorSink;
import dev.sluice.postgres.QueueErrorSink;
import dev.sluice.postgres.SourceErrorSink;
import dev.sluice.postgres.SqlIdentifier;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code postgres_errors} error sink: rejects of any source as rows of one error table
 * ({@link PostgresErrorSink}), after which their messages are acknowledged: the table holds the raw payload.
 */
public final class PostgresErrors {

    /**
     * @param table  the error table, optionally {@code schema.table}; a plain lowercase SQL name (required)
     * @param create {@code auto}: create the table when absent (default); {@code none}: it must exist, shaped like
     *               its layout's DDL
     * @param layout {@code any}: rejects of any source ({@link PostgresErrorSink}, the default); {@code queue}: the
     *               queue-only table of the first pipelines ({@code queue, message_id, receive_count}, as
     *               {@link QueueErrorSink}), for an SQS source whose error table users already query;
     *               {@code source}: one unique text of the source position ({@code source, reason, raw_body}, as
     *               {@link SourceErrorSink}), the lake's {@code lake_errors}
     */
    public record Settings(String table, TableCreation create, Layout layout) {
        public Settings {
            if (table == null) {
                throw new IllegalArgumentException("table is required: the table the rejects go to");
            }
            Migrations.prefixed("table", () -> SqlIdentifier.table(table));
            create = create == null ? TableCreation.AUTO : create;
            layout = layout == null ? Layout.ANY : layout;
        }
    }

    /** The shape of an error table: its columns, the unique key that makes a redelivered reject add nothing. */
    public enum Layout {
        ANY("rejects of any source", PostgresErrorSink.COLUMNS, PostgresErrorSink.KEY),
        QUEUE("queue rejects (layout: queue)", List.of("queue", "message_id", "receive_count", "reason", "raw_body"),
                List.of("message_id")),
        SOURCE("rejects keyed by their source position (layout: source)", List.of("source", "reason", "raw_body"),
                List.of("source"));

        private final String description;
        private final List<String> columns;
        private final List<String> key;

        Layout(String description, List<String> columns, List<String> key) {
            this.description = description;
            this.columns = columns;
            this.key = key;
        }

        String createTableSql(String table) {
            return switch (this) {
                case ANY -> PostgresErrorSink.createTableSql(table);
                case QUEUE -> QueueErrorSink.createTableSql(table);
                case SOURCE -> SourceErrorSink.createTableSql(table);
            };
        }

        ErrorSink sink(DataSource dataSource, String table) {
            return switch (this) {
                case ANY -> new PostgresErrorSink(dataSource, table);
                case QUEUE -> new QueueErrorSink(dataSource, table);
                case SOURCE -> new SourceErrorSink(dataSource, table);
            };
        }
    }

    public static final Plugin<Settings, ErrorsPart> PLUGIN = Plugin.errors("postgres_errors", Settings.class,
            "keeps each rejected message (coordinates, reason, raw payload) as a row of a PostgreSQL table",
            PostgresErrors::create);

    private PostgresErrors() {
    }

    static ErrorsPart create(Settings settings, PluginContext context) throws SQLException {
        PostgresDatabase db = context.shared(PostgresResources.DATABASE);
        SqlIdentifier table = SqlIdentifier.table(settings.table());
        Optional<TableShape> found = TableShape.read(db.dataSource(), table);
        if (found.isEmpty()) {
            if (settings.create() == TableCreation.NONE) {
                throw new IllegalArgumentException("table: error table " + table + " does not exist (create: none:"
                        + " create it with your own migrations first, or set create: auto)");
            }
            TableShape.execute(db.dataSource(), settings.layout().createTableSql(settings.table()));
            found = TableShape.read(db.dataSource(), table);
        }
        TableShape shape = found.orElseThrow();
        Layout layout = settings.layout();
        List<String> missing = layout.columns.stream().filter(column -> !shape.columns().containsKey(column)).toList();
        if (!missing.isEmpty() || !shape.isUnique(new HashSet<>(layout.key))) {
            throw new IllegalArgumentException("table: error table " + table + " is not shaped for "
                    + layout.description + " (" + (missing.isEmpty() ? ""
                    : "no column " + String.join(", ", missing) + "; ") + "it needs the columns "
                    + String.join(", ", layout.columns) + " and a unique index on (" + String.join(", ", layout.key)
                    + "); see docs/plugins/postgres_errors.md)");
        }
        return new ErrorsPart(layout.sink(db.dataSource(), settings.table()), RejectedMessages.ACKNOWLEDGE);
    }
}
