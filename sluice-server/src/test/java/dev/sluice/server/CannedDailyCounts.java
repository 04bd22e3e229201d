package dev.sluice.server;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily counts' read routes as the charts page reads them ({@code <path>/events}, {@code /charts/<e>.png},
 * {@code /daily?event=}), over numbers set by the test: the page's contract, without any store. The real routes
 * (the {@code daily_counts} plugin) and their S3 reader are tested in sluice-pipelines.
 */
final class CannedDailyCounts {

    private static final String GENERATED_AT = "2026-11-22T18:00:00Z";
    private final String path;
    private final List<String> events;
    private final Map<String, String> json = new LinkedHashMap<>();
    private final Map<String, byte[]> png = new LinkedHashMap<>();

    CannedDailyCounts(String path, List<String> events) {
        this.path = path;
        this.events = List.copyOf(events);
    }

    /** A report of {@code event} over {@code days} days up to 2026-11-22, numbers derived from the day and a seed. */
    synchronized CannedDailyCounts put(String event, int days, int seed) {
        List<String> rows = new ArrayList<>();
        LocalDate last = LocalDate.parse("2026-11-22");
        for (int i = days - 1; i >= 0; i--) {
            rows.add("{\"day\":\"%s\",\"android\":%d,\"ios\":%d,\"other\":%d}".formatted(last.minusDays(i),
                    (seed * 7L + i * 13L) % 50, (seed * 3L + i * 5L) % 30, i % 4 == 0 ? seed : 0));
        }
        json.put(event, "{\"event\":\"%s\",\"generated_at\":\"%s\",\"days\":[%s]}".formatted(event, GENERATED_AT,
                String.join(",", rows)));
        png.put(event, chart());
        return this;
    }

    List<ReadRoute> routes() {
        return List.of(
                ReadRoute.of(path + "/events", request -> ReadReply.json(events())),
                ReadRoute.of(path + "/charts/{file}", request -> {
                    byte[] chart = latest(png, request.pathParameter("file").replaceFirst("\\.png$", ""));
                    return chart == null ? ReadReply.error(404, "no report yet") : ReadReply.png(chart);
                }),
                ReadRoute.of(path + "/daily", request -> {
                    String numbers = latest(json, request.queryParameter("event").orElse(""));
                    return numbers == null ? ReadReply.error(404, "no report yet") : ReadReply.json(numbers);
                }));
    }

    private synchronized String events() {
        List<String> listed = events.stream().map(e -> "{\"event\":\"" + e + "\",\"generated_at\":"
                + (json.containsKey(e) ? "\"" + GENERATED_AT + "\"" : "null") + "}").toList();
        return "{\"events\":[" + String.join(",", listed) + "]}";
    }

    private synchronized <T> T latest(Map<String, T> reports, String event) {
        return reports.get(event);
    }

    /** A 400 x 250 PNG: the page shows it as it comes. */
    private static byte[] chart() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(400, 250, BufferedImage.TYPE_INT_RGB), "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
