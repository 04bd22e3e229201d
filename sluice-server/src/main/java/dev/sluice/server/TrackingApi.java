package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tracking charts, mounted with {@code ApiServer.builder().routes(new TrackingApi(reports))}; every route needs the
 * bearer token (they are under {@code /api/}).
 * <ul>
 *   <li>{@code GET /api/tracking/events}: {@code {"events":[{"event":"submission_success",
 *       "generated_at":"2026-11-22T18:00:00Z"},…]}}, every report event in configured order, {@code generated_at}
 *       null while it has no report yet.</li>
 *   <li>{@code GET /api/tracking/charts/<event>.png}: the latest chart, {@code image/png}.</li>
 *   <li>{@code GET /api/tracking/daily?event=<event>}: the numbers of that chart, {@link DailyCountsJson}'s shape.</li>
 * </ul>
 * An event that is not a report event is 404 {@code {"error":"unknown event"}}, one without a report yet 404
 * {@code {"error":"no report yet"}}, a missing {@code event} parameter 400; the event the caller sent is never echoed.
 * When the reports cannot be read the routes answer 503 {@code {"error":"tracking reports unavailable"}}.
 */
public final class TrackingApi implements ApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(TrackingApi.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String PNG = ".png";
    private static final String JSON = "application/json";

    private final TrackingReports reports;

    public TrackingApi(TrackingReports reports) {
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/tracking/events", this::events);
        routes.get("/api/tracking/charts/{file}", this::chart);
        routes.get("/api/tracking/daily", this::daily);
        routes.exception(TrackingUnavailableException.class, (e, ctx) -> {
            // Debug, as for playtime: pages poll every few seconds; the charts job logs the outage itself.
            log.debug("tracking request answered 503: {}", Redacted.describe(e.getCause()));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "tracking reports unavailable"));
        });
    }

    private void events(Context ctx) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode events = root.putArray("events");
        for (String event : reports.events()) {
            events.addObject().put("event", event)
                    .put("generated_at", latest(event).map(r -> r.counts().generatedAt().toString()).orElse(null));
        }
        ctx.header("Cache-Control", "no-cache").contentType(JSON).result(MAPPER.writeValueAsBytes(root));
    }

    private void chart(Context ctx) {
        String file = ctx.pathParam("file");
        String event = file.endsWith(PNG) ? file.substring(0, file.length() - PNG.length()) : null;
        report(ctx, event).ifPresent(report ->
                ctx.header("Cache-Control", "no-cache").contentType("image/png").result(report.png()));
    }

    private void daily(Context ctx) {
        String event = ctx.queryParam("event");
        if (event == null || event.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "the event parameter is required"));
            return;
        }
        report(ctx, event).ifPresent(report -> ctx.header("Cache-Control", "no-cache").contentType(JSON)
                .result(DailyCountsJson.write(report.counts())));
    }

    /** The latest report of a report event; empty after answering 404 for an unknown event or one without report. */
    private Optional<TrackingReport> report(Context ctx, String event) {
        if (!DailyCounts.isValidEvent(event) || !reports.events().contains(event)) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "unknown event"));
            return Optional.empty();
        }
        Optional<TrackingReport> report = latest(event);
        if (report.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no report yet"));
        }
        return report;
    }

    private Optional<TrackingReport> latest(String event) {
        try {
            return reports.latest(event);
        } catch (RuntimeException e) {
            throw new TrackingUnavailableException(e);
        }
    }

    /** The reports cannot be read; answered 503. */
    private static final class TrackingUnavailableException extends RuntimeException {
        TrackingUnavailableException(Throwable cause) {
            super("tracking reports unavailable", cause);
        }
    }
}
