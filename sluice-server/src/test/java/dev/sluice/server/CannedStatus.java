package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for the status group in the dashboard's page tests: {@code GET /api/status} answers whatever document the
 * test set last, in the status API's shape, so the page can be shown states and strings a running pipeline would
 * have to be forced into (failing, a backlog the source cannot tell, markup in a reason).
 */
final class CannedStatus implements ApiRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicReference<String> document = new AtomicReference<>();

    CannedStatus(Map<String, Object> status) {
        set(status);
    }

    void set(Map<String, Object> status) {
        document.set(JSON.writeValueAsString(status));
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/status", ctx -> ctx.contentType("application/json").header("Cache-Control", "no-store")
                .result(document.get()));
    }

    /** {@code {"time":…,"pipelines":[…]}}. */
    static Map<String, Object> status(String time, List<Map<String, Object>> pipelines) {
        return ordered("time", time, "pipelines", pipelines);
    }

    /**
     * A pipeline entry; {@code counts} are received, written, rejected, dropped, inFlight, retries; {@code backlog}
     * may be null, as when the source cannot tell.
     */
    static Map<String, Object> pipeline(String name, String state, String source, long[] counts, String failingSince,
                                        List<Map<String, Object>> throughput, Map<String, Object> backlog,
                                        List<Map<String, Object>> latestRejects) {
        Map<String, Object> p = ordered("name", name, "state", state, "source", source,
                "received", counts[0], "written", counts[1], "rejected", counts[2], "dropped", counts[3],
                "inFlight", counts[4], "retries", counts[5]);
        p.put("failingSince", failingSince);
        p.put("throughput", throughput);
        p.put("backlog", backlog);
        p.put("latestRejects", latestRejects);
        return p;
    }

    /**
     * {@code pipeline} with an outline, each part written {@code "type"} or {@code "type:id"}, as the status API
     * writes a definition's.
     */
    static Map<String, Object> outlined(Map<String, Object> pipeline, String source, List<String> processors,
                                        String sink, String errors, List<String> jobs, List<String> routes) {
        pipeline.put("outline", ordered("source", part(source), "processors", parts(processors), "sink", part(sink),
                "errors", part(errors), "jobs", parts(jobs), "routes", parts(routes)));
        return pipeline;
    }

    private static List<Map<String, Object>> parts(List<String> typesAndIds) {
        return typesAndIds.stream().map(CannedStatus::part).toList();
    }

    private static Map<String, Object> part(String typeAndId) {
        String[] parts = typeAndId.split(":", 2);
        return ordered("type", parts[0], "id", parts.length == 2 ? parts[1] : null);
    }

    static Map<String, Object> step(String time, long written, long rejected) {
        return ordered("time", time, "written", written, "rejected", rejected);
    }

    /** {@code deadLetters} null: the queue has no dead-letter queue. */
    static Map<String, Object> backlog(long visible, long inFlight, Long deadLetters) {
        return ordered("visible", visible, "inFlight", inFlight, "deadLetters", deadLetters, "behindLatestMs", null);
    }

    /** A stream's backlog: records buffered and in work, and how far its readers trail the newest record. */
    static Map<String, Object> streamBacklog(long buffered, long inFlight, long behindLatestMs) {
        return ordered("visible", buffered, "inFlight", inFlight, "deadLetters", null, "behindLatestMs",
                behindLatestMs);
    }

    static Map<String, Object> reject(String time, String reason, String source) {
        return ordered("time", time, "reason", reason, "source", source);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
