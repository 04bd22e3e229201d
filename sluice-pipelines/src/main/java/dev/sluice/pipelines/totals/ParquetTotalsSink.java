package dev.sluice.pipelines.totals;

import dev.sluice.core.files.ObjectFetcher;
import dev.sluice.parquet.totals.FileTotals;
import dev.sluice.parquet.totals.TotalsAggregator;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.PipelineLog;
import dev.sluice.core.engine.Sink;
import dev.sluice.core.engine.SourceCoordinates.StoredObject;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SinkPart;
import dev.sluice.core.plugin.PluginContext;
import dev.sluice.parquet.BadParquetFileException;
import dev.sluice.redis.RedisPlugins;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The {@code parquet_totals} sink: counts each notified Parquet file once. For every object an event names it
 * downloads the object as it is now ({@link ObjectFetcher}), sums it ({@link TotalsAggregator}) and applies the sums
 * with the done marker of the version it read, in one Redis script ({@link TotalsStore#applyFile}).
 *
 * <p>Failures split two ways. A file that breaks a rule (not Parquet, a column missing or mistyped, a null, a
 * negative or too large value, too many groups, too large for one Redis command) or an object that is gone is
 * recorded as a failed file ({@link TotalsStore#recordFailure}) and refused with a
 * {@link DestinationRejectedException}, so the engine releases its message for the queue's redrive policy. Anything
 * else (the object store or Redis unreachable, a full disk) propagates and is retried; retrying is safe because a
 * counted file's marker makes the next apply a no-op.
 */
public final class ParquetTotalsSink implements Sink<Event> {
    private static final Logger log = LoggerFactory.getLogger(ParquetTotalsSink.class);

    public static final Plugin<ParquetTotalsSettings, SinkPart> PLUGIN = Plugin.sink("parquet_totals",
            ParquetTotalsSettings.class, "sums int64 columns of each notified Parquet file per group-by columns into"
                    + " Redis, each file version once (one Lua script per file with its ETag marker)",
            ParquetTotalsSink::create);

    private final String pipeline;
    private final String objectsField;
    private final ObjectFetcher<?> fetcher;
    private final TotalsAggregator aggregator;
    private final TotalsStore store;
    private final Path workDirectory;
    private final Clock clock;
    private final Counter counted;
    private final Counter alreadyCounted;
    private final Counter failed;
    private final Counter rows;

    ParquetTotalsSink(String pipeline, String objectsField, ObjectFetcher<?> fetcher, TotalsAggregator aggregator,
                      TotalsStore store, Path workDirectory, MeterRegistry registry, Clock clock) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.objectsField = Objects.requireNonNull(objectsField, "objectsField");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
        this.store = Objects.requireNonNull(store, "store");
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counted = files(registry, "counted");
        this.alreadyCounted = files(registry, "already_counted");
        this.failed = files(registry, "failed");
        this.rows = Counter.builder("sluice.totals.rows").description("rows of files counted")
                .tag("pipeline", pipeline).register(registry);
    }

    private Counter files(MeterRegistry registry, String outcome) {
        return Counter.builder("sluice.totals.files").description("notified files by outcome")
                .tag("pipeline", pipeline).tag("outcome", outcome).register(registry);
    }

    private static SinkPart create(ParquetTotalsSettings settings, PluginContext context) throws IOException {
        context.fields().require("objects", settings.objects(), "parquet_totals reads the notified objects from it");
        ObjectFetcher<?> fetcher = context.service(ObjectFetcher.class, settings.fetcher(), "fetcher");
        RedisSettings redis = context.section(RedisPlugins.SECTION);
        TotalsKeys keys = new TotalsKeys(settings.keyPrefix() == null ? redis.keyPrefix() : settings.keyPrefix(),
                settings.namespace() == null ? context.pipeline() : settings.namespace(), settings.group());
        Path work = workDirectory(settings.workDirectory(), context.pipeline());
        TotalsStore store = context.closeAtEnd(TotalsStore.open(redis, keys, settings.sum(), settings.retention()));
        context.readiness("redis:" + keys.namespace(), store::ping);
        return new SinkPart(new ParquetTotalsSink(context.pipeline(), settings.objects(), fetcher,
                new TotalsAggregator(settings.aggregation()), store, work, context.registry(), context.clock()),
                false);
    }

    /** The configured directory, created and checked writable, or a new temporary one per run. */
    private static Path workDirectory(Path configured, String pipeline) {
        try {
            if (configured == null) {
                Path directory = Files.createTempDirectory("sluice-" + pipeline + "-");
                directory.toFile().deleteOnExit();
                return directory;
            }
            Files.createDirectories(configured);
            Files.delete(Files.createTempFile(configured, "write-check-", ".tmp"));
            return configured;
        } catch (IOException e) {
            throw new IllegalArgumentException("workDirectory: cannot write to " + configured + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Counts every file of every delivery; the first bad file refuses its delivery (the good ones stay counted). */
    @Override
    public void write(List<Delivery<Event>> deliveries) throws Exception {
        for (Delivery<Event> delivery : deliveries) {
            Object objects = delivery.value().record().values().get(objectsField);
            if (!(objects instanceof List<?> list)) {
                throw new PermanentFailureException("field " + objectsField + " holds no list of objects ("
                        + (objects == null ? "absent" : objects.getClass().getSimpleName()) + "): the source"
                        + " before parquet_totals must emit one, as s3_notifications does");
            }
            for (Object reference : list) {
                count(fetcher, reference);
            }
        }
    }

    private <R> void count(ObjectFetcher<R> fetcher, Object element)
            throws IOException, DestinationRejectedException, PermanentFailureException {
        if (!fetcher.referenceType().isInstance(element)) {
            throw new PermanentFailureException("field " + objectsField + " holds a "
                    + element.getClass().getSimpleName() + ", not the " + fetcher.referenceType().getSimpleName()
                    + " its fetcher reads");
        }
        R reference = fetcher.referenceType().cast(element);
        ObjectFetcher.Fetched object;
        try {
            object = fetcher.fetch(reference, workDirectory);
        } catch (ObjectFetcher.ObjectGoneException e) {
            throw refuse(fetcher.notified(reference), e.getMessage());
        }
        try (object) {
            StoredObject version = object.version();
            String marker = TotalsKeys.marker(version.bucket(), version.key(), version.etag());
            if (store.isApplied(marker)) {
                alreadyCounted.increment();
                return;
            }
            FileTotals totals;
            try {
                totals = aggregator.aggregate(object.file());
            } catch (BadParquetFileException e) {
                throw refuse(version, e.getMessage());
            }
            boolean now;
            try {
                now = store.applyFile(marker, totals.perGroup());
            } catch (IllegalArgumentException tooLargeForOneScript) {
                throw refuse(version, tooLargeForOneScript.getMessage());
            }
            (now ? counted : alreadyCounted).increment();
            if (now) {
                rows.increment(totals.rows());
                PipelineLog.at(log, Level.INFO, pipeline, version)
                        .log("pipeline {}: counted {} ({} rows, {} groups)", pipeline, version.describe(),
                                totals.rows(), totals.perGroup().size());
            }
        }
    }

    private DestinationRejectedException refuse(StoredObject file, String reason) throws PermanentFailureException {
        String why = "file refused: " + reason;
        store.recordFailure(file.bucket(), file.key(), file.etag(), why, clock.instant());
        failed.increment();
        return new DestinationRejectedException(why);
    }
}
