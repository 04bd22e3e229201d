package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lake's partitions, mounted with {@code ApiServer.builder().routes(new LakeApi(partitions))}; the route needs the
 * bearer token (it is under {@code /api/}).
 * <ul>
 *   <li>{@code GET /api/lake/partitions[?day=2026-11-22]}: {@code {"day":"2026-11-22","partitions":[{"partition":
 *       "year=2026/month=11/day=22/event_type=a","files":3,"bytes":12345,"lastModified":"2026-11-22T18:00:00Z"},…],
 *       "files":N,"bytes":M}}: the partitions of one day (default: today, UTC), at most {@value #MAX_PARTITIONS},
 *       most recently written first; {@code files} and {@code bytes} are that day's totals, listed or not. Only that
 *       day's prefix is listed, so a request costs a day of files, never the whole lake. A {@code day} that is not
 *       {@code YYYY-MM-DD} is 400.</li>
 * </ul>
 * When the lake cannot be read the route answers 503 {@code {"error":"lake partitions unavailable"}}.
 */
public final class LakeApi implements ApiRoutes {

    /** A day of hourly-written partitions per event type fits; the page shows the newest, not an inventory. */
    public static final int MAX_PARTITIONS = 50;

    private static final Logger log = LoggerFactory.getLogger(LakeApi.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** Newest first; the path breaks ties so the order is stable between polls. */
    private static final Comparator<LakePartitions.Partition> NEWEST_FIRST =
            Comparator.comparing(LakePartitions.Partition::lastModified).reversed()
                    .thenComparing(LakePartitions.Partition::partition);

    private final LakePartitions partitions;
    private final Clock clock;

    /** Today is the UTC date of the system clock. */
    public LakeApi(LakePartitions partitions) {
        this(partitions, Clock.systemUTC());
    }

    /** @param clock what today is, in its zone */
    public LakeApi(LakePartitions partitions, Clock clock) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/lake/partitions", this::partitions);
    }

    private void partitions(Context ctx) {
        LocalDate day;
        try {
            String asked = ctx.queryParam("day");
            day = asked == null ? LocalDate.now(clock) : LocalDate.parse(asked);
        } catch (DateTimeParseException e) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "day must be a date like 2026-11-22"));
            return;
        }
        List<LakePartitions.Partition> all;
        try {
            all = partitions.partitions(day);
        } catch (RuntimeException e) {
            // Debug, as for tracking: the page polls every few seconds; the lake pipeline reports its own outages.
            log.debug("lake request answered 503: {}", Redacted.describe(e));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "lake partitions unavailable"));
            return;
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("day", day.toString());
        ArrayNode listed = root.putArray("partitions");
        all.stream().sorted(NEWEST_FIRST).limit(MAX_PARTITIONS).forEach(p -> listed.addObject()
                .put("partition", p.partition()).put("files", p.files()).put("bytes", p.bytes())
                .put("lastModified", p.lastModified().toString()));
        root.put("files", all.stream().mapToLong(LakePartitions.Partition::files).sum());
        root.put("bytes", all.stream().mapToLong(LakePartitions.Partition::bytes).sum());
        ctx.header("Cache-Control", "no-cache").contentType("application/json").result(MAPPER.writeValueAsBytes(root));
    }
}
