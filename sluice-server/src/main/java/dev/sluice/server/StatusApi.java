package dev.sluice.server;

import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.RejectNote;
import dev.sluice.core.pipeline.PipelineOutline;
import dev.sluice.core.status.PipelineStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /api/status}: every running pipeline's state, counts, throughput history, backlog and latest rejects,
 * for the dashboard and {@code sluice status}. Token required (under {@code /api/}); nothing in it is PII.
 *
 * <pre>{@code
 * {"time":"2026-11-22T17:00:00Z","pipelines":[{"name":"orders","state":"running","source":"orders-queue",
 *   "received":120,"written":110,"rejected":10,"dropped":0,"inFlight":0,"retries":0,"failingSince":null,
 *   "throughput":[{"time":"…","written":12,"rejected":1},…],
 *   "backlog":{"visible":3,"inFlight":0,"deadLetters":1,"behindLatestMs":null},
 *   "latestRejects":[{"time":"…","reason":"user_id: expected a string, got a number","source":"sqs:orders-queue/…#1"}]}]}
 * }</pre>
 *
 * {@code state} is {@code running}, {@code failing} (retrying a failure now, since {@code failingSince}) or
 * {@code stopped}; {@code backlog} is null when the source cannot tell or could not be asked, and
 * {@code deadLetters} null when the queue has no dead-letter queue. {@code outline} is what the pipeline is built
 * of ({@link PipelineOutline}: each part's plugin type and step id, null for a pipeline not built from a definition):
 * {@code {"source":{"type":"sqs","id":null},"processors":[{"type":"parse_json","id":"parse"},…],"sink":{…},
 * "errors":{…},"jobs":[…],"routes":[…]}}.
 */
public final class StatusApi implements ApiRoutes {
    private final Supplier<List<PipelineStatus>> statuses;
    private final Supplier<Map<String, PipelineOutline>> outlines;
    private final Clock clock;

    /** @param statuses read on every request, e.g. {@code statusBoard::snapshot}; no outlines */
    public StatusApi(Supplier<List<PipelineStatus>> statuses, Clock clock) {
        this(statuses, Map::of, clock);
    }

    /**
     * @param statuses read on every request, e.g. {@code statusBoard::snapshot}
     * @param outlines each pipeline's outline by its name, read on every request
     */
    public StatusApi(Supplier<List<PipelineStatus>> statuses, Supplier<Map<String, PipelineOutline>> outlines,
                     Clock clock) {
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.outlines = Objects.requireNonNull(outlines, "outlines");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/status", this::status);
    }

    private void status(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", clock.instant().toString());
        Map<String, PipelineOutline> outlined = outlines.get();
        body.put("pipelines", statuses.get().stream().map(s -> pipeline(s, outlined.get(s.name()))).toList());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    private static Map<String, Object> pipeline(PipelineStatus s, PipelineOutline outline) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", s.name());
        p.put("state", s.state().name().toLowerCase(Locale.ROOT));
        p.put("source", s.source());
        p.put("received", s.received());
        p.put("written", s.written());
        p.put("rejected", s.rejected());
        p.put("dropped", s.dropped());
        p.put("inFlight", s.inFlight());
        p.put("retries", s.retries());
        p.put("failingSince", s.failingSince().map(Object::toString).orElse(null));
        p.put("throughput", s.throughput().stream().map(step -> Map.of("time", step.time().toString(),
                "written", step.written(), "rejected", step.rejected())).toList());
        p.put("backlog", s.backlog().map(StatusApi::backlog).orElse(null));
        p.put("latestRejects", s.latestRejects().stream().map(StatusApi::reject).toList());
        p.put("outline", outline == null ? null : outline(outline));
        return p;
    }

    private static Map<String, Object> outline(PipelineOutline o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", step(o.source()));
        m.put("processors", o.processors().stream().map(StatusApi::step).toList());
        m.put("sink", step(o.sink()));
        m.put("errors", step(o.errors()));
        m.put("jobs", o.jobs().stream().map(StatusApi::step).toList());
        m.put("routes", o.routes().stream().map(StatusApi::step).toList());
        return m;
    }

    private static Map<String, Object> step(PipelineOutline.Step step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", step.type());
        m.put("id", step.id());
        return m;
    }

    private static Map<String, Object> backlog(Backlog b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("visible", b.visible());
        m.put("inFlight", b.inFlight());
        m.put("deadLetters", b.deadLetters().isPresent() ? b.deadLetters().getAsLong() : null);
        m.put("behindLatestMs", b.behindLatest().map(Duration::toMillis).orElse(null));
        return m;
    }

    private static Map<String, Object> reject(RejectNote r) {
        return Map.of("time", r.time().toString(), "reason", r.reason(), "source", r.source());
    }
}
