package dev.sluice.pipelines.tracking;

import dev.sluice.postgres.PostgresDatabase;

import java.util.Map;

/** The tracking tables in Postgres ({@code db/tracking}), created or upgraded under one Flyway history. */
public final class TrackingSchema {
    /** Where the raw archiver keeps the messages it rejects (V2). */
    public static final String REJECTS = "tracking_rejects";

    private TrackingSchema() {
    }

    /**
     * Creates or upgrades the events table, the archiver's rejects table, the load ledger, the load-errors table and
     * the failed-files table; safe on every start.
     */
    public static void migrate(PostgresDatabase db, TrackingLoadSettings load) {
        db.migrate("db/tracking", "sluice_history_" + load.events(), Map.of(
                "events", load.events(),
                "ledger", load.ledger(),
                "load_errors", load.loadErrors(),
                "failed_files", load.failedFiles()));
    }
}
