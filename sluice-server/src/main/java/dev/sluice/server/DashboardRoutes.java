package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's dashboard: the pipelines page at {@code GET /}, the daily charts page at {@code GET /charts}
 * ({@code ?pipeline=NAME}), and their scripts and stylesheet under {@code /dashboard/}, hand-written files bundled in
 * the jar ({@value #RESOURCES}), loaded once when the group is made; nothing comes from another origin. The pages
 * hold no data and need no token: they ask the operator for the API token once, keep it in the browser's
 * {@code localStorage} ({@code auth.js}, shared by both) and send it as {@code Authorization: Bearer} to
 * {@code /api/status}, {@code /api/panels} ({@link PanelsApi}) and the routes each listed panel names, so the data
 * stays behind the token like every other {@code /api/} path. The pages know kinds of panels, never a pipeline: what
 * a pipeline shows is what its routes plugins contribute. The charts page fetches its chart images with the token
 * too and shows them through {@code blob:} object URLs, since an {@code <img>} cannot send the header.
 *
 * <p>Every file is served with
 * <ul>
 *   <li>{@code Content-Security-Policy: default-src 'self'} (plus no framing, no {@code <base>}, no form posts): no
 *       inline script or style, no other origin, so even a value the page failed to escape could not run;</li>
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer};</li>
 *   <li>{@code Cache-Control: no-cache} with a strong {@code ETag} of the content: browsers keep the files but ask
 *       each time, and get 304 until the jar changes, so a new release is never shown with an old script.</li>
 * </ul>
 */
public final class DashboardRoutes implements ApiRoutes {

    /** Where the files live on the class path. */
    static final String RESOURCES = "/dev/sluice/server/dashboard/";
    /** The URL prefix of the page's assets. */
    public static final String ASSETS_PATH = "/dashboard/";
    /** The path of the daily charts page; {@code ?pipeline=NAME} chooses whose. */
    public static final String CHARTS_PATH = "/charts";

    /** Where a page takes the shared top, {@code top.html}. */
    private static final String TOP_MARKER = "<!-- sluice:top -->";

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");

    /** The pages by path. */
    private final Map<String, Asset> pages;
    /** The assets by file name: only these are served, so no request names a resource path of its own. */
    private final Map<String, Asset> assets;

    public DashboardRoutes() {
        String top = new String(read("top.html"), StandardCharsets.UTF_8);
        this.pages = Map.of("/", page("index.html", top), CHARTS_PATH, page("charts.html", top));
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (String name : List.of("auth.js", "dashboard.js", "charts.js", "dashboard.css")) {
            loaded.put(name, load(name));
        }
        this.assets = Map.copyOf(loaded);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        pages.forEach((path, page) -> routes.get(path, ctx -> serve(ctx, page)));
        routes.get(ASSETS_PATH + "{name}", ctx -> {
            Asset asset = assets.get(ctx.pathParam("name"));
            if (asset == null) {
                ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "not found"));
            } else {
                serve(ctx, asset);
            }
        });
    }

    private static void serve(Context ctx, Asset asset) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .header("ETag", asset.etag());
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
        } else {
            ctx.contentType(asset.contentType()).result(asset.body());
        }
    }

    /** A page with the shared top (header and token form) where it says {@value #TOP_MARKER}. */
    private static Asset page(String name, String top) {
        String html = new String(read(name), StandardCharsets.UTF_8);
        if (!html.contains(TOP_MARKER)) {
            throw new IllegalStateException("the dashboard page " + name + " lacks " + TOP_MARKER);
        }
        return asset(name, html.replace(TOP_MARKER, top).getBytes(StandardCharsets.UTF_8));
    }

    private static Asset load(String name) {
        return asset(name, read(name));
    }

    private static Asset asset(String name, byte[] body) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        Objects.requireNonNull(type, () -> "no content type for " + name);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + RESOURCES + name + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        }
    }

    private record Asset(byte[] body, String contentType, String etag) {
    }
}
