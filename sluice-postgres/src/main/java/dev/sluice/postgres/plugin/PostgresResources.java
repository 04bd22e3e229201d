package dev.sluice.postgres.plugin;

import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import dev.sluice.postgres.PostgresCheckpointStore;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSeenEvents;
import dev.sluice.postgres.PostgresSettings;
import dev.sluice.postgres.SqlIdentifier;

import java.util.Map;

/**
 * What the Postgres plugins of one process share: the {@code postgres:} section, one database (its pools) opened at
 * the first plugin that needs it, and the services other modules' plugins may choose by name.
 */
public final class PostgresResources {

    public static final ConfigSection<PostgresSettings> SECTION = new ConfigSection<>("postgres",
            PostgresSettings.class, "the PostgreSQL database of the postgres sinks, error tables and stores");

    /**
     * The database, opened once per process. Opening does not connect (a pipeline starts while the database is
     * down); {@code GET /ready} checks it under "postgres".
     */
    public static final SharedResource<PostgresDatabase> DATABASE = new SharedResource<>("postgres", context -> {
        PostgresDatabase db = new PostgresDatabase(context.section(SECTION));
        context.readiness("postgres", db::checkConnection);
        return db;
    });

    /** The table of the {@code postgres} seen-events store. */
    public static final String SEEN_EVENTS_TABLE = "sluice_seen_events";

    /** Kinesis checkpoints in {@value PostgresCheckpointStore#DEFAULT_TABLE}, created on first use. */
    public static final Service<CheckpointStore> CHECKPOINTS = new Service<>(CheckpointStore.class, "postgres",
            new SharedResource<>("postgres checkpoints", context -> {
                PostgresDatabase db = context.shared(DATABASE);
                PostgresCheckpointStore.migrate(db, PostgresCheckpointStore.DEFAULT_TABLE);
                return new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE);
            }));

    /**
     * The events dedupe stored, in {@value #SEEN_EVENTS_TABLE}, and the files being stored, in its {@code _storing}
     * ledger; both created on first use.
     */
    public static final Service<SeenEvents> SEEN_EVENTS = new Service<>(SeenEvents.class, "postgres",
            new SharedResource<>("postgres seen events", context -> {
                PostgresDatabase db = context.shared(DATABASE);
                db.migrate("db/seen-events", "sluice_history_" + SqlIdentifier.table(SEEN_EVENTS_TABLE).name(),
                        Map.of("table", SEEN_EVENTS_TABLE));
                return new PostgresSeenEvents(db.dataSource(), SEEN_EVENTS_TABLE, SEEN_EVENTS_TABLE + "_storing");
            }));

    private PostgresResources() {
    }
}
