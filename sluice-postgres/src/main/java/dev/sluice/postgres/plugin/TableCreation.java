package dev.sluice.postgres.plugin;

/** How a plugin's table comes to be: created by Sluice when absent, or made beforehand by migrations. */
public enum TableCreation {
    /** {@code CREATE TABLE IF NOT EXISTS} at start, from what the plugin knows it will write. */
    AUTO,
    /** The table must exist (the user's migrations, or the plugin's {@code migrations:}, made it). */
    NONE
}
