package dev.sluice.pipelines.partitions;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code partitions} (routes): the partitions of one day of a pipeline's Parquet files on S3, for the dashboard and
 * scripts, behind the API token. {@code GET <path>[?day=2026-11-22]} answers {@code {"day":"2026-11-22",
 * "partitions":[{"partition":"day=2026-11-22/country=DE","files":3,"bytes":12345,"lastModified":"…"},…],
 * "files":N,"bytes":M}}: the day's partitions (default: today, UTC), at most {@code maxPartitions}, most recently
 * written first; {@code files} and {@code bytes} are the day's totals, listed or not. A {@code day} that is not
 * {@code YYYY-MM-DD} is 400; storage that cannot be read is 503 {@code {"error":"<pipeline> partitions
 * unavailable"}}. See docs/plugins/partitions.md.
 */
public final class PartitionsRoutes {

    /** A day of hourly-written partitions per type fits; a page shows the newest, not an inventory. */
    public static final int DEFAULT_MAX_PARTITIONS = 50;

    private static final Logger log = LoggerFactory.getLogger(PartitionsRoutes.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** Newest first; the path breaks ties so the order is stable between polls. */
    private static final Comparator<DayPartitions.Partition> NEWEST_FIRST =
            Comparator.comparing(DayPartitions.Partition::lastModified).reversed()
                    .thenComparing(DayPartitions.Partition::partition);

    /**
     * @param bucket        the bucket the files are in; required
     * @param prefix        the files' key prefix: empty (the default) or ending with '/'
     * @param day           the folders of one day below the prefix (default {@value DayPartitions#HIVE_DAY}); the
     *                      sink's partition template up to its day, e.g. {@code day={yyyy}-{MM}-{dd}}
     * @param path          the route, under {@code /api/} (default {@code /api/<pipeline>/partitions})
     * @param readCache     how long one listing is served (default 5 s; zero or more)
     * @param maxPartitions at most this many partitions are listed (default 50; at least 1)
     */
    public record Settings(String bucket, String prefix, String day, String path, Duration readCache,
                           Integer maxPartitions) {
        public Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("bucket is required: the bucket the files are in");
            }
            prefix = prefix == null ? "" : prefix;
            if (prefix.startsWith("/") || !prefix.isEmpty() && !prefix.endsWith("/")) {
                throw new IllegalArgumentException("prefix must be empty or end with '/', and must not start with "
                        + "'/', was '" + prefix + "'");
            }
            day = DayPartitions.checkDay(day == null ? DayPartitions.HIVE_DAY : day);
            if (path != null && !path.startsWith("/api/")) {
                throw new IllegalArgumentException("path must be under /api/ (behind the token), was '" + path + "'");
            }
            readCache = readCache == null ? DayPartitions.DEFAULT_READ_CACHE : readCache;
            if (readCache.isNegative()) {
                throw new IllegalArgumentException("readCache must be zero or more, was " + readCache);
            }
            maxPartitions = maxPartitions == null ? DEFAULT_MAX_PARTITIONS : maxPartitions;
            if (maxPartitions < 1) {
                throw new IllegalArgumentException("maxPartitions must be at least 1, was " + maxPartitions);
            }
        }
    }

    public static final Plugin<Settings, Plugin.RoutesPart> PLUGIN = Plugin.routes("partitions", Settings.class,
            "the partitions of one day of Parquet files on S3 (files, bytes, last written), behind the token",
            PartitionsRoutes::create);

    private PartitionsRoutes() {
    }

    private static Plugin.RoutesPart create(Settings settings, PluginContext context) {
        String path = Optional.ofNullable(settings.path()).orElse("/api/" + context.pipeline() + "/partitions");
        ReadRoute route = route(path, context.pipeline(), new DayPartitions(context.shared(AwsResources.S3),
                        settings.bucket(), settings.prefix(), settings.day(), settings.readCache(), context.clock())
                        ::partitions, settings.maxPartitions(), context.clock());
        return new Plugin.RoutesPart(List.of(route), List.of(panel(path, settings.maxPartitions())));
    }

    /** The dashboard's table of today's partitions at {@code path}, which lists at most {@code maxPartitions}. */
    public static Panel panel(String path, int maxPartitions) {
        return new Panel("partitions", "Today's partitions", path,
                Map.of("maxPartitions", Integer.toString(maxPartitions)));
    }

    /**
     * The route over {@code partitions} (a day's partitions; a runtime exception when the storage cannot be read);
     * today is the date of {@code clock} in its zone.
     */
    public static ReadRoute route(String path, String pipeline, Function<LocalDate, List<DayPartitions.Partition>>
            partitions, int maxPartitions, Clock clock) {
        return ReadRoute.of(path, request -> {
            LocalDate day;
            try {
                day = request.queryParameter("day").map(LocalDate::parse).orElseGet(() -> LocalDate.now(clock));
            } catch (DateTimeParseException e) {
                return ReadReply.error(400, "day must be a date like 2026-11-22");
            }
            List<DayPartitions.Partition> all;
            try {
                all = partitions.apply(day);
            } catch (RuntimeException e) {
                // Debug: a page polls every few seconds; the pipeline reports its own outages. No key, no value.
                log.debug("{} partitions answered 503: {}", pipeline, e.getClass().getSimpleName());
                return ReadReply.error(503, pipeline + " partitions unavailable");
            }
            ObjectNode root = MAPPER.createObjectNode();
            root.put("day", day.toString());
            ArrayNode listed = root.putArray("partitions");
            all.stream().sorted(NEWEST_FIRST).limit(maxPartitions).forEach(p -> listed.addObject()
                    .put("partition", p.partition()).put("files", p.files()).put("bytes", p.bytes())
                    .put("lastModified", p.lastModified().toString()));
            root.put("files", all.stream().mapToLong(DayPartitions.Partition::files).sum());
            root.put("bytes", all.stream().mapToLong(DayPartitions.Partition::bytes).sum());
            return ReadReply.json(MAPPER.writeValueAsString(root));
        });
    }
}
