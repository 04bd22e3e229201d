package dev.sluice.server;

import dev.sluice.core.pipeline.Panel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /api/panels}: per running pipeline, the panels its routes plugins contribute ({@link Panel}), which the
 * dashboard draws for every pipeline, one the user wrote included. Token required (under {@code /api/}); it holds
 * settings only (kinds, titles, paths, member names), no data.
 *
 * <pre>{@code
 * {"pipelines":[{"name":"sessions","panels":[{"kind":"leaderboard","title":"Top players","path":"/api/sessions",
 *   "options":{"group":"player","groups":"players","total":"total","count":"count"}}]},
 *  {"name":"orders","panels":[]}]}
 * }</pre>
 */
public final class PanelsApi implements ApiRoutes {

    private final Supplier<Map<String, List<Panel>>> panels;

    /** @param panels each pipeline's panels by its name, in the order the page lists them; read on every request */
    public PanelsApi(Supplier<Map<String, List<Panel>>> panels) {
        this.panels = Objects.requireNonNull(panels, "panels");
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/panels", this::panels);
    }

    private void panels(Context ctx) {
        List<Map<String, Object>> pipelines = panels.get().entrySet().stream().map(e -> {
            Map<String, Object> pipeline = new LinkedHashMap<>();
            pipeline.put("name", e.getKey());
            pipeline.put("panels", e.getValue().stream().map(PanelsApi::panel).toList());
            return pipeline;
        }).toList();
        ctx.header("Cache-Control", "no-store").json(Map.of("pipelines", pipelines));
    }

    private static Map<String, Object> panel(Panel panel) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", panel.kind());
        p.put("title", panel.title());
        p.put("path", panel.path());
        p.put("options", panel.options());
        return p;
    }
}
