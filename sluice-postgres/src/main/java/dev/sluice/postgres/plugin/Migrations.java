package dev.sluice.postgres.plugin;

import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.SqlIdentifier;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flyway migrations a plugin runs at start, before it checks its table: for tables whose shape is the pipeline's own
 * (the shipped logins keep {@code db/logins} with {@code ${table}} and {@code ${error_table}}).
 *
 * @param location     the class path folder of the migrations, e.g. {@code db/logins} (required)
 * @param history      the Flyway history table; default {@code sluice_history_<table>}
 * @param placeholders values of {@code ${name}} in the SQL, each a valid table name; {@code table} is the plugin's
 *                     table unless given here; default none besides it
 */
public record Migrations(String location, String history, Map<String, String> placeholders) {

    public Migrations {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("location is required: the class path folder of the migrations,"
                    + " like db/orders");
        }
        if (history != null) {
            prefixed("history", () -> SqlIdentifier.column(history));
        }
        placeholders = placeholders == null ? Map.of() : new LinkedHashMap<>(placeholders);
        placeholders.forEach((name, value) -> prefixed("placeholders." + name, () -> SqlIdentifier.table(value)));
        placeholders = Map.copyOf(placeholders);
    }

    /** Runs the migrations for {@code table}; returns how many ran. */
    int apply(PostgresDatabase db, SqlIdentifier table) {
        Map<String, String> values = new HashMap<>(placeholders);
        values.putIfAbsent("table", table.toString());
        return db.migrate(location, history == null ? "sluice_history_" + table.name() : history, values);
    }

    /** Runs {@code check}, putting {@code key} first in its message, where the configuration error points. */
    static void prefixed(String key, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
