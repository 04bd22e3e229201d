package dev.sluice.core.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the dashboard shows of the data a routes plugin serves: a kind of panel the page knows how to draw, over that
 * plugin's routes at {@code path}. The plugin that owns the data says how it is shown, so the server and the page
 * hold no pipeline's name and a pipeline the user wrote gets the same panel as a shipped one.
 *
 * <p>The kinds the page draws, and what each reads under {@code path}:
 * <ul>
 *   <li>{@code leaderboard}: {@code <path>/top?limit=N}, a document of groups with their sums ({@code totals}
 *       routes); options {@code group} (one group's noun), {@code groups}, {@code total} and {@code count} (the
 *       document's member names);</li>
 *   <li>{@code daily_counts}: {@code <path>/events}, {@code <path>/daily?event=E}, {@code <path>/charts/E.png}
 *       ({@code daily_counts} routes), summarised on the dashboard and drawn on the charts page;</li>
 *   <li>{@code partitions}: {@code <path>} itself, one day's partitions ({@code partitions} routes); option
 *       {@code maxPartitions}.</li>
 * </ul>
 * A kind the page does not know is not shown. Nothing in a panel is data: it is built from settings.
 *
 * @param kind    lower snake case
 * @param title   a few words for the panel's heading, e.g. {@code Top users}
 * @param path    the routes' base path, under {@code /api/} (behind the token)
 * @param options what the page needs besides the path to read the routes' documents, in a stable order
 */
public record Panel(String kind, String title, String path, Map<String, String> options) {

    public Panel {
        if (kind == null || !kind.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a panel kind is lower snake case, not " + kind);
        }
        Objects.requireNonNull(title, "title");
        if (path == null || !path.startsWith("/api/")) {
            throw new IllegalArgumentException("a panel reads routes under /api/ (behind the token), not " + path);
        }
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public Panel(String kind, String title, String path) {
        this(kind, title, path, Map.of());
    }
}
