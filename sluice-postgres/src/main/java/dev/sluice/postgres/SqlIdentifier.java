package dev.sluice.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table or column name that is safe to put into SQL text. Values are always bound parameters; names cannot be,
 * so every name a sink writes into a statement comes through here. Only plain lowercase names are accepted, which
 * rules out injection and also the case-folding surprises of quoted identifiers.
 *
 * @param schema null when the name is not schema-qualified
 * @param name   the table or column name
 */
public record SqlIdentifier(String schema, String name) {

    /** The rule, as shown in error messages. */
    public static final String RULE = "[a-z_][a-z0-9_]{0,62}";
    private static final Pattern NAME = Pattern.compile(RULE);

    public SqlIdentifier {
        if (schema != null) {
            check(schema, "schema");
        }
        check(name, "name");
    }

    /** A table name, optionally qualified as {@code schema.table}. */
    public static SqlIdentifier table(String qualifiedName) {
        Objects.requireNonNull(qualifiedName, "table name is required");
        int dot = qualifiedName.indexOf('.');
        if (dot < 0) {
            return new SqlIdentifier(null, check(qualifiedName, "table"));
        }
        String schema = qualifiedName.substring(0, dot);
        String table = qualifiedName.substring(dot + 1);
        if (!NAME.matcher(schema).matches() || !NAME.matcher(table).matches()) {
            throw invalid(qualifiedName, "table", "schema.table with each part matching " + RULE);
        }
        return new SqlIdentifier(schema, table);
    }

    /** A table name without a schema prefix, for names that also become part of an index name. */
    public static SqlIdentifier unqualifiedTable(String name) {
        return new SqlIdentifier(null, check(name, "table"));
    }

    /** A column name (never qualified). */
    public static SqlIdentifier column(String name) {
        return new SqlIdentifier(null, check(name, "column"));
    }

    /**
     * The name as it goes into SQL, each part double-quoted so reserved words such as {@code user} also work; the
     * rule guarantees quoting changes nothing else.
     */
    public String sql() {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }

    /** The name as the user wrote it, for messages. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    private static String check(String identifier, String kind) {
        Objects.requireNonNull(identifier, kind + " name is required");
        if (!NAME.matcher(identifier).matches()) {
            throw invalid(identifier, kind, RULE);
        }
        return identifier;
    }

    private static IllegalArgumentException invalid(String identifier, String kind, String rule) {
        return new IllegalArgumentException(kind + " name '" + identifier + "' is not a valid SQL identifier: it must "
                + "match " + rule + " (lowercase letter or underscore first, then lowercase letters, digits or "
                + "underscores, at most 63 characters)");
    }

    private static String quote(String part) {
        return '"' + part + '"';
    }
}
