package dev.sluice.core.files;

import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code files}: the rolling-file sink ({@link RollingFileSink}) in the catalog. Events go into files by partition,
 * in a named format, stored whole in a named object store's bucket under names from their source positions. See
 * docs/plugins/files.md.
 */
public final class FilesPlugin {

    /** The formats core offers: the record's fields, or the body as sent. */
    public static final List<Service<?>> FORMATS = List.of(
            new Service<>(FileFormat.class, "ndjson_gzip", SharedResource.local("ndjson_gzip format",
                    context -> new NdjsonGzip(NdjsonGzip.Content.RECORD))),
            new Service<>(FileFormat.class, "raw_ndjson_gzip", SharedResource.local("raw_ndjson_gzip format",
                    context -> new NdjsonGzip(NdjsonGzip.Content.BODY))));

    /**
     * When a file closes: the first limit reached.
     *
     * @param maxEvents a file closes once it holds this many events (default 10,000; at least 1)
     * @param maxBytes  ... or this many bytes, uncompressed (default 64 MiB; at least 1,024)
     * @param maxAge    ... or when its first event has waited this long (default 60 s; positive)
     */
    public record Roll(Integer maxEvents, Long maxBytes, Duration maxAge) {
        static final long MIN_MAX_BYTES = 1024;

        public Roll {
            maxEvents = maxEvents == null ? 10_000 : maxEvents;
            if (maxEvents < 1) {
                throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
            }
            maxBytes = maxBytes == null ? 64L << 20 : maxBytes;
            if (maxBytes < MIN_MAX_BYTES) {
                throw new IllegalArgumentException("maxBytes must be at least " + MIN_MAX_BYTES + ", was " + maxBytes);
            }
            maxAge = maxAge == null ? Duration.ofSeconds(60) : maxAge;
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
            }
        }

        Rotation.Policy policy() {
            return new Rotation.Policy(maxEvents, maxBytes, maxAge);
        }
    }

    /** How files are named (see {@link FileNamer}). */
    public enum Names {
        /** By the source position of the first message (the default): a replay rewrites the same objects. */
        SOURCE_POSITION(FileNamer.SOURCE_POSITION),
        /** {@code dt=YYYY-MM-DD/HHMMSS-<uuid>}, the UTC time the file was opened: keys sort by time. */
        OPENED_AT(FileNamer.OPENED_AT);

        private final FileNamer namer;

        Names(FileNamer namer) {
            this.namer = namer;
        }
    }

    /**
     * @param store            the object store service (default {@code s3}, offered by sluice-aws)
     * @param bucket           the bucket files go to; required
     * @param prefix           prepended to every key: empty (the default) or ending with '/', never starting with one
     * @param format           the file format service: {@code ndjson_gzip} (the default: the record's fields) or
     *                         {@code raw_ndjson_gzip} (the body as sent)
     * @param partition        folders from fields, like {@code dt={created_date}/type={type}}; each field must reach
     *                         the sink; default empty (one folder)
     * @param partitionMissing the folder value of a field that is absent, null or empty (default {@code __missing__});
     *                         letters, digits, '.', '_', '-'
     * @param roll             when a file closes (see {@link Roll})
     * @param maxOpenFiles     at most this many partitions have a file open; the oldest closes early to open another
     *                         (default 64; at least 1)
     * @param workDirectory    where open and pending files are written (default: a new temporary directory per run);
     *                         created if missing, and a crashed run's files there are deleted at start, so one process
     *                         per directory
     * @param names            {@code source_position} (the default) or {@code opened_at}
     * @param partitionFieldsInFiles whether a typed format (parquet) also writes the fields the partition template
     *                         uses as columns (default true); false: they are in the path only, Hive style, as
     *                         Athena and DuckDB's hive_partitioning read them (a reader would otherwise see each
     *                         twice)
     */
    public record Settings(String store, String bucket, String prefix, String format, String partition,
                           String partitionMissing, Roll roll, Integer maxOpenFiles, Path workDirectory,
                           Names names, Boolean partitionFieldsInFiles) {
        public Settings {
            store = store == null ? "s3" : store;
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("bucket is required: the bucket files are stored in");
            }
            prefix = prefix == null ? "" : prefix;
            if (prefix.startsWith("/") || !prefix.isEmpty() && !prefix.endsWith("/")) {
                throw new IllegalArgumentException("prefix must be empty or end with '/', and must not start with "
                        + "'/', was '" + prefix + "'");
            }
            format = format == null ? "ndjson_gzip" : format;
            partition = partition == null ? "" : partition;
            partitionMissing = partitionMissing == null ? "__missing__" : partitionMissing;
            Partitioner.of(partition, partitionMissing);
            roll = roll == null ? new Roll(null, null, null) : roll;
            maxOpenFiles = maxOpenFiles == null ? 64 : maxOpenFiles;
            if (maxOpenFiles < 1) {
                throw new IllegalArgumentException("maxOpenFiles must be at least 1, was " + maxOpenFiles);
            }
            names = names == null ? Names.SOURCE_POSITION : names;
            partitionFieldsInFiles = partitionFieldsInFiles == null || partitionFieldsInFiles;
            if (!partitionFieldsInFiles && partition.isEmpty()) {
                throw new IllegalArgumentException("partitionFieldsInFiles: false needs a partition template (there"
                        + " are no partition fields to leave out)");
            }
        }
    }

    public static final Plugin<Settings, Plugin.SinkPart> PLUGIN = Plugin.sink("files", Settings.class,
            "events rolled into files by partition (ndjson_gzip, ...) and stored whole in an object store",
            (settings, context) -> {
                Partitioner partitioner = Partitioner.of(settings.partition(), settings.partitionMissing());
                partitioner.check(context.fields());
                Fields columns = context.fields();
                if (!settings.partitionFieldsInFiles()) {
                    for (String field : partitioner.fields()) {
                        columns = columns.without(field);
                    }
                }
                FileFormat format = context.service(FileFormat.class, settings.format(), "format")
                        .forFields(columns);
                ObjectStore store = context.service(ObjectStores.class, settings.store(), "store")
                        .forBucket(settings.bucket());
                // A new directory per run by default: two processes on one host must not delete each other's files.
                Path work = settings.workDirectory() != null ? settings.workDirectory()
                        : Files.createTempDirectory("sluice-files-" + context.pipeline() + "-");
                RollingFileSink sink = new RollingFileSink(new RollingFileSink.Parts(context.pipeline(),
                        settings.prefix(), partitioner, settings.names().namer, format, store,
                        settings.roll().policy(), settings.maxOpenFiles(), work), context.registry(), context.clock());
                // Named by their first record's position: a stream's replay rewrites the same objects only if each
                // shard's records reach the files in order.
                return new Plugin.SinkPart(sink, false, true, settings.roll().maxEvents());
            });

    private FilesPlugin() {
    }
}
