package dev.sluice.postgres.plugin;

import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SinkPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.postgres.BatchInsertSink;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.RowMapper;
import dev.sluice.postgres.SqlIdentifier;
import dev.sluice.postgres.StorableText;
import dev.sluice.postgres.TableSpec;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code postgres_table} sink: each event becomes a row of one table, written in batches with
 * {@code ON CONFLICT (key) DO NOTHING} on the message's natural key ({@link BatchInsertSink}), so a redelivered
 * message adds nothing. At start it makes sure the table can take what the pipeline sends: it creates it from the
 * schema's fields ({@code create: auto}), or runs the pipeline's migrations, and then refuses a table that lacks a
 * column, lacks a unique index on the key, or has a varchar column shorter than the field that fills it.
 */
public final class PostgresTableSink {

    /** What a column maps to instead of a field: the message's natural key. */
    public static final String NATURAL_KEY = "$key";

    /**
     * @param table      the table, optionally {@code schema.table}; a plain lowercase SQL name (required)
     * @param columns    column → the field that fills it, or {@value #NATURAL_KEY} for the natural key (required,
     *                   at least one); absent optional fields are written as NULL
     * @param key        the column that holds the message's natural key, unique: the conflict column of
     *                   {@code ON CONFLICT DO NOTHING}; not one of {@code columns}; default {@code natural_key}
     * @param create     {@code auto}: create the table when absent, from the schema's fields (default without
     *                   {@code migrations}); {@code none}: the table must exist (default with {@code migrations})
     * @param migrations Flyway migrations run at start before the table is checked; default none
     */
    public record Settings(String table, Map<String, String> columns, String key, TableCreation create,
                           Migrations migrations) {

        public Settings {
            if (table == null) {
                throw new IllegalArgumentException("table is required: the table the rows go to");
            }
            Migrations.prefixed("table", () -> SqlIdentifier.table(table));
            if (columns == null || columns.isEmpty()) {
                throw new IllegalArgumentException("columns is required: each column of the table and the field that"
                        + " fills it, like {email: email}, or " + NATURAL_KEY + " for the message's natural key");
            }
            String keyColumn = key == null ? "natural_key" : key;
            Migrations.prefixed("key", () -> SqlIdentifier.column(keyColumn));
            key = keyColumn;
            for (Map.Entry<String, String> column : columns.entrySet()) {
                String at = "columns." + column.getKey();
                Migrations.prefixed(at, () -> SqlIdentifier.column(column.getKey()));
                if (column.getKey().equals(keyColumn)) {
                    throw new IllegalArgumentException(at + ": column " + keyColumn + " is the key column, which always"
                            + " holds the message's natural key; map the fields to other columns");
                }
                if (column.getValue() == null || column.getValue().isBlank()) {
                    throw new IllegalArgumentException(at + ": name the field that fills the column, or "
                            + NATURAL_KEY);
                }
            }
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            if (create == TableCreation.AUTO && migrations != null) {
                throw new IllegalArgumentException("create: auto and migrations exclude each other: the migrations"
                        + " create the table (leave create out, or set it to none)");
            }
            create = create != null ? create : migrations == null ? TableCreation.AUTO : TableCreation.NONE;
        }
    }

    public static final Plugin<Settings, SinkPart> PLUGIN = Plugin.sink("postgres_table", Settings.class,
            "writes each event as a row of a PostgreSQL table, once per message (natural key)",
            PostgresTableSink::create);

    private PostgresTableSink() {
    }

    static SinkPart create(Settings settings, PluginContext context) throws SQLException {
        Fields fields = context.fields();
        settings.columns().forEach((column, field) -> {
            if (!field.equals(NATURAL_KEY)) {
                fields.require("columns." + column, field, "column " + column + " is filled from it");
            }
        });
        PostgresDatabase db = context.shared(PostgresResources.DATABASE);
        SqlIdentifier table = SqlIdentifier.table(settings.table());
        if (settings.migrations() != null) {
            settings.migrations().apply(db, table);
        }
        Optional<TableShape> found = TableShape.read(db.dataSource(), table);
        if (found.isEmpty()) {
            if (settings.create() == TableCreation.NONE) {
                throw new IllegalArgumentException("table: table " + table + " does not exist ("
                        + (settings.migrations() == null ? "create: none: create it with your own migrations first,"
                        + " or set create: auto" : "the migrations at " + settings.migrations().location()
                        + " do not create it") + ")");
            }
            if (!fields.isKnown()) {
                throw new IllegalArgumentException("create: auto needs the types of the fields, which a schema"
                        + " processor before the sink declares; add one, or create table " + table + " yourself and"
                        + " set create: none");
            }
            TableShape.execute(db.dataSource(), createTableSql(table, settings, fields));
            found = TableShape.read(db.dataSource(), table);
        }
        check(found.orElseThrow(), table, settings, fields);
        List<String> columns = new ArrayList<>();
        columns.add(settings.key());
        columns.addAll(settings.columns().keySet());
        // each column's field, or null for the natural key, resolved here rather than compared for every row
        String[] fieldOf = settings.columns().values().stream()
                .map(field -> field.equals(NATURAL_KEY) ? null : field).toArray(String[]::new);
        RowMapper<Event> rows = delivery -> {
            String naturalKey = StorableText.bounded(delivery.source().coordinates().naturalKey(),
                    StorableText.MAX_KEY_CHARS);
            Map<String, Object> values = delivery.value().record().values();
            Object[] row = new Object[fieldOf.length + 1];
            row[0] = naturalKey;
            for (int i = 0; i < fieldOf.length; i++) {
                row[i + 1] = fieldOf[i] == null ? naturalKey : values.get(fieldOf[i]);
            }
            return row;
        };
        return new SinkPart(new BatchInsertSink<>(db.dataSource(), new TableSpec(settings.table(), columns,
                settings.key()), rows), false);
    }

    /** The table the settings describe, typed from the schema's fields; the key column unique. */
    static String createTableSql(SqlIdentifier table, Settings settings, Fields fields) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table.sql()).append(" (\n    ")
                .append(SqlIdentifier.column(settings.key()).sql()).append(" text NOT NULL UNIQUE");
        settings.columns().forEach((column, field) -> {
            sql.append(",\n    ").append(SqlIdentifier.column(column).sql()).append(' ');
            if (field.equals(NATURAL_KEY)) {
                sql.append("text NOT NULL");
            } else {
                FieldSpec spec = fields.field(field).orElseThrow();
                sql.append(sqlType(spec));
                if (spec.required() && !spec.nullAllowed()) {
                    sql.append(" NOT NULL");
                }
            }
        });
        return sql.append("\n)").toString();
    }

    private static String sqlType(FieldSpec field) {
        return switch (field.type()) {
            case STRING -> field.maxLength() > 0 ? "varchar(" + field.maxLength() + ")" : "text";
            case INTEGER -> "bigint";
            case NUMBER -> "numeric";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamptz";
            case DATE -> "date";
        };
    }

    /** Refuses a table the rows would not fit, naming the setting at fault. */
    private static void check(TableShape shape, SqlIdentifier table, Settings settings, Fields fields) {
        if (!shape.columns().containsKey(settings.key())) {
            throw new IllegalArgumentException("key: table " + table + " has no column " + settings.key()
                    + " for the natural key (its columns: " + String.join(", ", shape.columns().keySet()) + ")");
        }
        if (!shape.isUnique(Set.of(settings.key()))) {
            throw new IllegalArgumentException("key: column " + settings.key() + " of table " + table + " has no"
                    + " unique index of its own, which ON CONFLICT needs so a redelivered message adds nothing"
                    + " (CREATE UNIQUE INDEX ON " + table + " (" + settings.key() + "))");
        }
        settings.columns().forEach((column, field) -> {
            TableShape.Column found = shape.columns().get(column);
            if (found == null) {
                throw new IllegalArgumentException("columns." + column + ": table " + table + " has no column "
                        + column + " (its columns: " + String.join(", ", shape.columns().keySet()) + ")");
            }
            fields.field(field).filter(spec -> spec.type() == FieldType.STRING).ifPresent(spec ->
                    found.maxLength().ifPresent(length -> {
                        if (spec.maxLength() == 0 || spec.maxLength() > length) {
                            throw new IllegalArgumentException("columns." + column + ": column " + column + " of table "
                                    + table + " is " + found.describe() + ", but field '" + field + "' "
                                    + (spec.maxLength() == 0 ? "has no maxLength" : "may be up to "
                                    + spec.maxLength() + " characters") + "; declare maxLength: " + length
                                    + " or less in the schema, or widen the column");
                        }
                    }));
        });
    }
}
