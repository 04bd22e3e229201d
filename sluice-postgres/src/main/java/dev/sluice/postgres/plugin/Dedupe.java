package dev.sluice.postgres.plugin;

import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.dedupe.DedupingSink;
import dev.sluice.core.dedupe.SeenEvent;
import dev.sluice.core.dedupe.SeenEvents;
import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.pipeline.SinkWrapper;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SinkPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.core.plugin.SharedResource;
import dev.sluice.postgres.StorableText;

import dev.sluice.core.json.FieldType;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSeenEvents;
import dev.sluice.postgres.SqlIdentifier;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code dedupe} processor: keeps a second copy of an event (the same value of the {@code key} field within the
 * horizon) out of a sink that gathers files, with core's {@link DedupingSink}; the events stored are remembered in
 * a {@link SeenEvents} store chosen by name, under the pipeline's name, so pipelines sharing a store never drop each
 * other's events; or in a Postgres table of the pipeline's own ({@code table}, keys as they are: the lake keeps
 * {@code lake_seen} and its ledger {@code lake_storing} so). An event is remembered from the later of its event
 * time ({@code time}, by default when its message was sent) and its arrival. Written last in {@code processors:};
 * an event without a key is rejected here, as dedupe cannot tell its copies apart.
 */
public final class Dedupe {

    /**
     * @param key     the field that identifies an event, e.g. {@code event_id}; declared by the schema when there is
     *                one (required)
     * @param horizon how long a stored event is remembered (default 24 h, between 1 hour and 30 days); every dedupe
     *                of one store keeps the same horizon, since each purges the store by its own
     * @param store   the {@link SeenEvents} service the stored events are remembered in (default {@code postgres},
     *                  keys prefixed with the pipeline's name); not with {@code table}
     * @param time    the field holding the event time: a timestamp, or a number of Unix seconds; default none: when
     *                the message was sent
     * @param table   a Postgres table of this pipeline's own the stored events are remembered in, keys as they are
     *                (default none: the shared {@code store}); created if missing, unless {@code migrations} create
     *                it. Its columns: event_key (primary key), event_time, remember_from
     * @param ledger  with {@code table}: the ledger of the files being stored (default {@code <table>_storing});
     *                a name of its own needs {@code migrations}
     * @param migrations with {@code table}: the Flyway migrations that create the table and the ledger, for a
     *                pipeline that keeps them with its other tables (default: sluice's seen-events DDL)
     */
    public record Settings(String key, Duration horizon, String store, String time, String table, String ledger,
                           Migrations migrations) {
        public Settings {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key is required: the field that identifies an event");
            }
            horizon = new DedupeSettings(horizon, null, null, null).horizon();
            if (table == null) {
                if (ledger != null || migrations != null) {
                    throw new IllegalArgumentException((ledger != null ? "ledger" : "migrations")
                            + " belongs to a dedupe with a table of its own (table:)");
                }
                store = store == null ? "postgres" : store;
            } else {
                if (store != null) {
                    throw new IllegalArgumentException("store: give a store or a table, not both");
                }
                Migrations.prefixed("table", () -> SqlIdentifier.table(table));
                if (ledger == null) {
                    ledger = table + "_storing";
                } else if (migrations == null) {
                    throw new IllegalArgumentException("ledger: a ledger named otherwise than " + table + "_storing"
                            + " needs the migrations that create it (migrations:)");
                }
                String named = ledger;
                Migrations.prefixed("ledger", () -> SqlIdentifier.table(named));
            }
        }
    }

    public static final Plugin<Settings, Processor> PLUGIN = Plugin.processor("dedupe",
            Settings.class, "drops a second copy of an event (same key within the horizon) before a file sink",
            Dedupe::create);

    /** The first dedupe of a store in this process: its horizon is every other's. */
    private record Claim(String pipeline, Duration horizon) {
    }

    /** The first dedupe of each store in this process, by store name. */
    private static final SharedResource<Map<String, Claim>> HORIZONS = SharedResource.local("dedupe horizons",
            context -> new ConcurrentHashMap<>());

    private Dedupe() {
    }

    static SinkWrapper create(Settings settings, PluginContext context) {
        context.fields().require("key", settings.key(), "dedupe identifies events by it");
        Function<Event, Instant> eventTime = eventTime(settings.time(), context);
        String storeName = settings.table() == null ? settings.store() : "table " + settings.table();
        Claim first = context.shared(HORIZONS).putIfAbsent(storeName,
                new Claim(context.pipeline(), settings.horizon()));
        if (first != null && !first.horizon().equals(settings.horizon())) {
            throw new IllegalArgumentException("horizon: every dedupe of store " + storeName + " keeps the"
                    + " same horizon, since each forgets the store's events older than its own (pipeline "
                    + first.pipeline() + " keeps " + first.horizon() + ")");
        }
        DedupeSettings dedupe = new DedupeSettings(settings.horizon(), null, null, null);
        SeenEvents seen = settings.table() == null
                ? new PipelineSeenEvents(context.pipeline(), context.service(SeenEvents.class, settings.store(),
                "store"))
                : ownTable(settings, context.shared(PostgresResources.DATABASE));
        return new SinkWrapper() {
            @Override
            public Outcome<Event> apply(Event event) {
                if (event.record().values().get(settings.key()) == null) {
                    return Outcome.reject("dedupe: field '" + settings.key() + "' is missing or null; it identifies"
                            + " the event");
                }
                return Outcome.emit(event);
            }

            @Override
            public SinkPart wrap(SinkPart sink) {
                if (!(sink.sink() instanceof BufferingSink<Event> files)) {
                    throw new IllegalArgumentException("dedupe needs a sink that gathers files");
                }
                return sink.withSink(new DedupingSink<>(files, event -> new SeenEvent(StorableText.bounded(
                        String.valueOf(event.record().values().get(settings.key())), StorableText.MAX_KEY_CHARS),
                        eventTime.apply(event)), seen, dedupe, context.clock()));
            }
        };
    }

    /** The table and ledger of one pipeline, created (or migrated) now: the dedupe looks them up before it starts. */
    private static SeenEvents ownTable(Settings settings, PostgresDatabase db) {
        SqlIdentifier table = SqlIdentifier.table(settings.table());
        if (settings.migrations() != null) {
            settings.migrations().apply(db, table);
        } else {
            db.migrate("db/seen-events", "sluice_history_" + table.name(), Map.of("table", settings.table()));
        }
        return new PostgresSeenEvents(db.dataSource(), settings.table(), settings.ledger());
    }

    /** When an event happened: the {@code time} field's value, or when its message was sent. */
    private static Function<Event, Instant> eventTime(String field, PluginContext context) {
        if (field == null) {
            return event -> event.message().sentAt();
        }
        context.fields().require("time", field, "dedupe remembers events by it");
        context.fields().field(field).filter(spec -> !TIME_TYPES.contains(spec.type())).ifPresent(spec -> {
            throw new IllegalArgumentException("time: field '" + field + "' is " + spec.type().description()
                    + ", but dedupe needs a timestamp or a number of Unix seconds");
        });
        // A value of another kind (no schema before) is not worth a reject: the arrival bounds the memory instead.
        return event -> {
            Instant time = switch (event.record().values().get(field)) {
                case OffsetDateTime at -> at.toInstant();
                case Double seconds -> unixSeconds(seconds);
                case BigDecimal seconds -> unixSeconds(seconds.doubleValue());
                case Long seconds -> unixSeconds(seconds.doubleValue());
                case null, default -> null;
            };
            return time != null ? time : event.message().sentAt();
        };
    }

    private static final double MIN_SECONDS = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final double MAX_SECONDS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final Set<FieldType> TIME_TYPES = Set.of(FieldType.TIMESTAMP, FieldType.NUMBER,
            FieldType.INTEGER, FieldType.DOUBLE);

    /** Unix seconds as an instant, as the lake has always recorded its events' times; null outside years 1-9999. */
    static Instant unixSeconds(double seconds) {
        if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
            return null;
        }
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
    }
}
