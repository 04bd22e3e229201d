package dev.sluice.server;

import dev.sluice.redis.FailedFile;
import dev.sluice.redis.PlaytimeStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The read API of the {@code playtime} pipeline, mounted with {@code ApiServer.builder().routes(new
 * PlaytimeApi(store))}; every route needs the bearer token (they are under {@code /api/}).
 * <ul>
 *   <li>{@code GET /api/playtime}: {@code {"users":{"user_1":{"battle":1933,"menu":1787,"roadside":1857,
 *       "total":5577},…},"total_playtime":N}}, users in natural order ({@code user_2} before {@code user_10}), event
 *       types sorted within a user.</li>
 *   <li>{@code GET /api/playtime/users/{id}}: {@code {"user":"user_1","playtime":{"battle":…,"total":…}}}; 404
 *       {@code {"error":"unknown user"}} without echoing the id (ids are personal data); 400 for an id longer than
 *       {@value #MAX_USER_ID_LENGTH} characters or with control characters.</li>
 *   <li>{@code GET /api/playtime/failures}: the files that could not be counted, oldest first:
 *       {@code [{"bucket","key","etag","reason","time"}]}, read from the store on each call.</li>
 * </ul>
 *
 * <p>Both playtime endpoints serve one cached snapshot (see {@link PlaytimeCache} for the rules): a background
 * refresher reads a new one whenever it is older than {@code maxAge} (default 1 s) while requests keep serving the
 * previous one, so only the very first request waits for Redis; while Redis cannot be read the last snapshot is
 * served for up to {@code staleLimit} (default 60 s), after which they answer 503
 * {@code {"error":"playtime store unavailable"}}. Every response carries the snapshot's age in
 * {@value #AGE_HEADER}, and {@code Cache-Control: no-store}, as the bodies hold personal data. The whole document is
 * served gzipped to clients that accept it, compressed once per snapshot.
 *
 * <p>{@code GET /ready} checks that Redis answers {@code PING} (check {@code redis}).
 */
public final class PlaytimeApi implements ApiRoutes {

    /** Milliseconds since the served snapshot was read from Redis. */
    public static final String AGE_HEADER = "Sluice-Snapshot-Age-Ms";
    public static final int MAX_USER_ID_LENGTH = 512;

    private static final Logger log = LoggerFactory.getLogger(PlaytimeApi.class);
    private static final String JSON = "application/json";

    private final PlaytimeStore store;
    private final PlaytimeCache cache;

    /** With the default max age (1 s) and stale limit (60 s). */
    public PlaytimeApi(PlaytimeStore store) {
        this(store, PlaytimeCache.DEFAULT_MAX_AGE, PlaytimeCache.DEFAULT_STALE_LIMIT);
    }

    /**
     * @param maxAge     how old the served snapshot may get before the refresher reads a new one; at least 1 ms
     * @param staleLimit how old a snapshot may be and still be served while Redis fails; at least {@code maxAge}
     */
    public PlaytimeApi(PlaytimeStore store, Duration maxAge, Duration staleLimit) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = new PlaytimeCache(store::snapshot, maxAge, staleLimit);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/playtime", this::all);
        routes.get("/api/playtime/users/{id}", this::user);
        routes.get("/api/playtime/failures", this::failures);
        routes.exception(PlaytimeUnavailableException.class, (e, ctx) -> {
            log.debug("playtime request answered 503: {}", Redacted.describe(e.getCause()));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "playtime store unavailable"));
        });
    }

    @Override
    public Map<String, ReadinessCheck> readinessChecks() {
        return Map.of("redis", store::ping);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cache.bindTo(registry);
    }

    /** Stops the snapshot refresher; the store stays open, it is the caller's. */
    @Override
    public void close() {
        cache.close();
    }

    private void all(Context ctx) throws IOException {
        CachedSnapshot snapshot = cache.get();
        headers(ctx, snapshot).header("Vary", "Accept-Encoding");
        byte[] body;
        if (acceptsGzip(ctx.header("Accept-Encoding"))) {
            // Content-Encoding set here also keeps Javalin from compressing the body a second time.
            ctx.header("Content-Encoding", "gzip");
            body = snapshot.gzipped();
        } else {
            body = snapshot.json(); // the client takes no gzip, so Javalin does not compress it either
        }
        // Written straight to the response rather than through ctx.result(), which copies every body through a
        // fresh 32 KB buffer: most of what a request allocated, and so most of the GC pauses under load. Either
        // way the body goes out as it is, so the length is known (no chunked encoding for a large document).
        ctx.res().setContentLength(body.length);
        ctx.outputStream().write(body);
    }

    private void user(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        if (id.length() > MAX_USER_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "invalid user id"));
            return;
        }
        CachedSnapshot snapshot = cache.get();
        Map<String, Long> amounts = snapshot.snapshot().users().get(id);
        headers(ctx, snapshot);
        if (amounts == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "unknown user"));
        } else {
            // Straight to the response, as in all(); no length set, as Javalin may compress a large one.
            ctx.outputStream().write(PlaytimeJson.user(id, amounts));
        }
    }

    private void failures(Context ctx) {
        List<FailedFile> failures;
        try {
            failures = store.failures();
        } catch (RuntimeException e) {
            throw new PlaytimeUnavailableException("playtime store unavailable", e);
        }
        ctx.header("Cache-Control", "no-store").contentType(JSON).result(PlaytimeJson.failures(failures));
    }

    private static Context headers(Context ctx, CachedSnapshot snapshot) {
        return ctx.contentType(JSON)
                .header("Cache-Control", "no-store")
                .header(AGE_HEADER, Long.toString(snapshot.ageMillis()));
    }

    /** Whether {@code Accept-Encoding} lists gzip without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            if (parts[0].strip().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
                    if (parameter.matches("q=0(\\.0{0,3})?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
