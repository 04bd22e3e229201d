package dev.sluice.pipelines.dailycounts;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code daily_counts} read routes, under {@code /api/} and so behind the bearer token; with
 * {@code path: /api/tracking}:
 * <ul>
 *   <li>{@code GET /api/tracking/events}: {@code {"events":[{"event":"submission_success",
 *       "generated_at":"2026-11-22T18:00:00Z"},…]}}, every report event in configured order, {@code generated_at}
 *       null while it has no report yet.</li>
 *   <li>{@code GET /api/tracking/charts/<event>.png}: the latest chart, {@code image/png}.</li>
 *   <li>{@code GET /api/tracking/daily?event=<event>}: the numbers of that chart, {@link DailyCountsJson}'s shape.</li>
 * </ul>
 * An event that is not a report event is 404 {@code {"error":"unknown event"}}, one without a report yet 404
 * {@code {"error":"no report yet"}}, a missing {@code event} parameter 400; the event the caller sent is never echoed.
 * When the reports cannot be read the routes answer 503 {@code {"error":"<pipeline> reports unavailable"}}.
 */
public final class DailyCountsRoutes {

    public static final Plugin<DailyCountsRoutesSettings, Plugin.RoutesPart> PLUGIN = Plugin.routes("daily_counts",
            DailyCountsRoutesSettings.class, "serves the latest charts and numbers of a daily_counts job",
            DailyCountsRoutes::create);

    private static final Logger log = LoggerFactory.getLogger(DailyCountsRoutes.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String PNG = ".png";

    private final DailyCountsReports reports;
    private final String unavailable;

    /** @param pipeline names the reports in the 503 answer */
    public DailyCountsRoutes(DailyCountsReports reports, String pipeline) {
        this.reports = Objects.requireNonNull(reports, "reports");
        this.unavailable = pipeline + " reports unavailable";
    }

    private static Plugin.RoutesPart create(DailyCountsRoutesSettings settings, PluginContext context) {
        DailyCountsReports reports = new S3DailyCountsReports(context.shared(AwsResources.S3), settings,
                context.clock());
        String path = settings.path() == null ? "/api/" + context.pipeline() : settings.path();
        return new Plugin.RoutesPart(new DailyCountsRoutes(reports, context.pipeline()).routes(path),
                List.of(panel(path)));
    }

    /**
     * The dashboard's panel over the routes under {@code path}: when each event was last drawn, with a link to the
     * charts page, which draws every chart and its numbers.
     */
    public static Panel panel(String path) {
        return new Panel("daily_counts", "Daily counts", path);
    }

    /** The three routes under {@code path}. */
    public List<ReadRoute> routes(String path) {
        return List.of(
                ReadRoute.of(path + "/events", this::events),
                ReadRoute.of(path + "/charts/{file}", this::chart),
                ReadRoute.of(path + "/daily", this::daily));
    }

    private ReadReply events(ReadRequest request) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode events = root.putArray("events");
        try {
            for (String event : reports.events()) {
                events.addObject().put("event", event)
                        .put("generated_at", reports.latest(event).map(r -> r.counts().generatedAt().toString())
                                .orElse(null));
            }
        } catch (RuntimeException e) {
            return unavailable(e);
        }
        return ReadReply.json(MAPPER.writeValueAsString(root));
    }

    private ReadReply chart(ReadRequest request) {
        String file = request.pathParameter("file");
        String event = file.endsWith(PNG) ? file.substring(0, file.length() - PNG.length()) : null;
        return answer(event, report -> ReadReply.png(report.png()));
    }

    private ReadReply daily(ReadRequest request) {
        Optional<String> event = request.queryParameter("event").filter(e -> !e.isEmpty());
        if (event.isEmpty()) {
            return ReadReply.error(400, "the event parameter is required");
        }
        return answer(event.get(), report -> new ReadReply(200, "application/json",
                DailyCountsJson.write(report.counts())));
    }

    /** The latest report of a report event as {@code reply} makes it; 404 for an unknown event or one without. */
    private ReadReply answer(String event, java.util.function.Function<DailyCountsReport, ReadReply> reply) {
        if (!DailyCounts.isValidEvent(event) || !reports.events().contains(event)) {
            return ReadReply.error(404, "unknown event");
        }
        Optional<DailyCountsReport> report;
        try {
            report = reports.latest(event);
        } catch (RuntimeException e) {
            return unavailable(e);
        }
        return report.map(reply).orElseGet(() -> ReadReply.error(404, "no report yet"));
    }

    private ReadReply unavailable(RuntimeException e) {
        // Debug: pages poll every few seconds, and the job logs the outage itself. The class only: a message may
        // carry a key.
        log.debug("daily counts request answered 503: {}", e.getClass().getName());
        return ReadReply.error(503, unavailable);
    }
}
