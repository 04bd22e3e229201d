package dev.sluice.postgres.plugin;

import dev.sluice.core.engine.RejectedMessages;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.ErrorsPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresErrorSink;
import dev.sluice.postgres.SqlIdentifier;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postgres_errors} error sink: rejects of any source as rows of one error table
 * ({@link PostgresErrorSink}), after which their messages are acknowledged: the table holds the raw payload.
 */
public final class PostgresErrors {

    /**
     * @param table  the error table, optionally {@code schema.table}; a plain lowercase SQL name (required)
     * @param create {@code auto}: create the table when absent (default); {@code none}: it must exist, shaped like
     *               {@link PostgresErrorSink#createTableSql}
     */
    public record Settings(String table, TableCreation create) {
        public Settings {
            if (table == null) {
                throw new IllegalArgumentException("table is required: the table the rejects go to");
            }
            Migrations.prefixed("table", () -> SqlIdentifier.table(table));
            create = create == null ? TableCreation.AUTO : create;
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
            TableShape.execute(db.dataSource(), PostgresErrorSink.createTableSql(settings.table()));
            found = TableShape.read(db.dataSource(), table);
        }
        TableShape shape = found.orElseThrow();
        List<String> missing = PostgresErrorSink.COLUMNS.stream()
                .filter(column -> !shape.columns().containsKey(column)).toList();
        if (!missing.isEmpty() || !shape.isUnique(new HashSet<>(PostgresErrorSink.KEY))) {
            throw new IllegalArgumentException("table: error table " + table + " is not shaped for rejects of any"
                    + " source (" + (missing.isEmpty() ? "" : "no column " + String.join(", ", missing) + "; ")
                    + "it needs the columns " + String.join(", ", PostgresErrorSink.COLUMNS) + " and a unique index on"
                    + " (" + String.join(", ", PostgresErrorSink.KEY) + "); see docs/plugins/postgres_errors.md)");
        }
        return new ErrorsPart(new PostgresErrorSink(db.dataSource(), settings.table()), RejectedMessages.ACKNOWLEDGE);
    }
}
