package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lake's partitions, mounted with {@code ApiServer.builder().routes(new LakeApi(partitions))}; the route needs the
 * bearer token (it is under {@code /api/}).
 * <ul>
 *   <li>{@code GET /api/lake/partitions}: {@code {"partitions":[{"partition":"year=2026/month=11/day=22/event_type=a",
 *       "files":3,"bytes":12345,"lastModified":"2026-11-22T18:00:00Z"},…],"files":N,"bytes":M}}, the
 *       {@value #MAX_PARTITIONS} most recently written partitions, newest first; {@code files} and {@code bytes} are
 *       the totals over every partition, listed or not.</li>
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

    public LakeApi(LakePartitions partitions) {
        this.partitions = Objects.requireNonNull(partitions, "partitions");
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/lake/partitions", this::partitions);
    }

    private void partitions(Context ctx) {
        List<LakePartitions.Partition> all;
        try {
            all = partitions.partitions();
        } catch (RuntimeException e) {
            // Debug, as for tracking: the page polls every few seconds; the lake pipeline reports its own outages.
            log.debug("lake request answered 503: {}", Redacted.describe(e));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "lake partitions unavailable"));
            return;
        }
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode listed = root.putArray("partitions");
        all.stream().sorted(NEWEST_FIRST).limit(MAX_PARTITIONS).forEach(p -> listed.addObject()
                .put("partition", p.partition()).put("files", p.files()).put("bytes", p.bytes())
                .put("lastModified", p.lastModified().toString()));
        root.put("files", all.stream().mapToLong(LakePartitions.Partition::files).sum());
        root.put("bytes", all.stream().mapToLong(LakePartitions.Partition::bytes).sum());
        ctx.header("Cache-Control", "no-cache").contentType("application/json").result(MAPPER.writeValueAsBytes(root));
    }
}
