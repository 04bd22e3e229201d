package dev.sluice.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's dashboard: one page at {@code GET /} and its script and stylesheet under {@code /dashboard/},
 * hand-written files bundled in the jar ({@value #RESOURCES}), loaded once when the group is made; nothing comes from
 * another origin. The page itself holds no data and needs no token: it asks the operator for the API token once,
 * keeps it in the browser's {@code localStorage} and sends it as {@code Authorization: Bearer} to {@code /api/status}
 * and {@code /api/playtime} every 2 s, so the data stays behind the token like every other {@code /api/} path.
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

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");

    private final Asset page;
    /** The assets by file name: only these are served, so no request names a resource path of its own. */
    private final Map<String, Asset> assets;

    public DashboardRoutes() {
        this.page = load("index.html");
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (String name : List.of("dashboard.js", "dashboard.css")) {
            loaded.put(name, load(name));
        }
        this.assets = Map.copyOf(loaded);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/", ctx -> serve(ctx, page));
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

    private static Asset load(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        Objects.requireNonNull(type, () -> "no content type for " + name);
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + RESOURCES + name + " is not on the class path");
            }
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Asset(byte[] body, String contentType, String etag) {
    }
}
