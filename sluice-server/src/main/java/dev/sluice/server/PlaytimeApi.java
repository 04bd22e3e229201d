package dev.sluice.server;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.redis.CachedPage;
import dev.sluice.redis.FirstPageCache;
import dev.sluice.redis.Page;
import dev.sluice.redis.PlaytimeStore;
import dev.sluice.redis.TotalsJson;
import dev.sluice.redis.TotalsRoutesSettings;
import dev.sluice.redis.UsersPage;
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
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read API of the {@code playtime} pipeline, mounted with {@code ApiServer.builder().routes(new
 * PlaytimeApi(store))}; every route needs the bearer token (they are under {@code /api/}). No request reads more
 * than one page from Redis, whatever the number of users or failures.
 * <ul>
 *   <li>{@code GET /api/playtime[?limit=N][&cursor=C]}: one page of users, {@code {"users":{"user_1":{"battle":1933,
 *       "menu":1787,"roadside":1857,"total":5577},…},"total_playtime":N}}, users in natural order within the page
 *       ({@code user_2} before {@code user_10}), event types sorted within a user. {@code limit} is 1 to the page
 *       size (default: the page size, 1,000 unless configured); a page holds about {@code limit} users. When more
 *       users follow, the response carries {@value #NEXT_CURSOR_HEADER}: pass it as {@code cursor} for the next page.
 *       Walking every page gives every user (one may appear twice if many were added during the walk).</li>
 *   <li>{@code GET /api/playtime/top[?limit=N]}: the leaderboard, {@code {"users":{…largest total first…},
 *       "total_playtime":N,"users_count":M}}; {@code limit} 1 to the page size, default
 *       {@value #DEFAULT_TOP}.</li>
 *   <li>{@code GET /api/playtime/users/{id}}: {@code {"user":"user_1","playtime":{"battle":…,"total":…}}}; 404
 *       {@code {"error":"unknown user"}} without echoing the id (ids are personal data); 400 for an id longer than
 *       {@value #MAX_USER_ID_LENGTH} characters or with control characters.</li>
 *   <li>{@code GET /api/playtime/failures[?limit=N][&cursor=C]}: one page of the files that could not be counted,
 *       oldest first: {@code [{"bucket","key","etag","reason","time"}]}, paged like the users.</li>
 *   <li>{@code GET /api/playtime/rejects[?limit=N][&cursor=C]}: one page of the notifications the pipeline
 *       rejected, oldest first, with their raw bodies: {@code [{"message","reason","body","time"}]}.</li>
 * </ul>
 * A bad {@code limit} or {@code cursor} is 400 naming the parameter (never echoing it).
 *
 * <p>The first page at the default size, what dashboards and pollers ask for, is cached (see {@link FirstPageCache}
 * for the rules): a background refresher reads it again whenever it is older than {@code maxAge} (default 1 s)
 * while requests keep serving the previous one; while Redis cannot be read it is served for up to
 * {@code staleLimit} (default 60 s). Those responses carry its age in {@value #AGE_HEADER} and are served gzipped
 * to clients that accept it, compressed once per read. Every other request reads its page from Redis. When Redis
 * cannot answer, requests answer 503 {@code {"error":"playtime store unavailable"}}. Every response carries
 * {@code Cache-Control: no-store}, as the bodies hold personal data.
 *
 * <p>{@code GET /ready} checks that Redis answers {@code PING} (check {@code redis}).
 */
public final class PlaytimeApi implements ApiRoutes {

    /** Milliseconds since the served first page was read from Redis. */
    public static final String AGE_HEADER = "Sluice-Snapshot-Age-Ms";
    /** The cursor of the next page; absent on the last page. */
    public static final String NEXT_CURSOR_HEADER = "Sluice-Next-Cursor";
    public static final int MAX_USER_ID_LENGTH = 512;
    /** The most users or failures a page holds unless configured: about 70 KB of JSON. */
    public static final int DEFAULT_PAGE_SIZE = 1_000;
    public static final int DEFAULT_TOP = 10;

    private static final Logger log = LoggerFactory.getLogger(PlaytimeApi.class);
    private static final String JSON = "application/json";

    private final PlaytimeStore store;
    private final int pageSize;
    private static final TotalsJson PLAYTIME_JSON = new TotalsJson(
            new TotalsRoutesSettings.Names("users", "total_playtime", "users_count", "playtime"), "user", false);

    private final FirstPageCache firstPage;

    /** With the default page size, max age (1 s) and stale limit (60 s). */
    public PlaytimeApi(PlaytimeStore store) {
        this(store, DEFAULT_PAGE_SIZE);
    }

    /** With the default max age (1 s) and stale limit (60 s). */
    public PlaytimeApi(PlaytimeStore store, int pageSize) {
        this(store, FirstPageCache.DEFAULT_MAX_AGE, FirstPageCache.DEFAULT_STALE_LIMIT, pageSize);
    }

    /**
     * @param maxAge     how old the served first page may get before the refresher reads it again; at least 1 ms
     * @param staleLimit how old the first page may be and still be served while Redis fails; at least
     *                   {@code maxAge}
     * @param pageSize   the most users or failures one page holds, and the default {@code limit}; 1 to
     *                   {@value PlaytimeStore#MAX_PAGE_SIZE}
     */
    public PlaytimeApi(PlaytimeStore store, Duration maxAge, Duration staleLimit, int pageSize) {
        this.store = Objects.requireNonNull(store, "store");
        if (pageSize < 1 || pageSize > PlaytimeStore.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1 to " + PlaytimeStore.MAX_PAGE_SIZE + ", was "
                    + pageSize);
        }
        this.pageSize = pageSize;
        this.firstPage = new FirstPageCache("playtime", () -> store.users(null, pageSize), PLAYTIME_JSON::page, maxAge,
                staleLimit);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/playtime", this::users);
        routes.get("/api/playtime/top", this::top);
        routes.get("/api/playtime/users/{id}", this::user);
        routes.get("/api/playtime/failures", this::failures);
        routes.get("/api/playtime/rejects", this::rejects);
        routes.exception(PlaytimeUnavailableException.class, (e, ctx) -> {
            log.debug("playtime request answered 503: {}", Redacted.describe(e.getCause()));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "playtime store unavailable"));
        });
        routes.exception(BadPageException.class, (e, ctx) ->
                ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
    }

    @Override
    public Map<String, ReadinessCheck> readinessChecks() {
        return Map.of("redis", store::ping);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        firstPage.bindTo(registry);
    }

    /** Stops the first page's refresher; the store stays open, it is the caller's. */
    @Override
    public void close() {
        firstPage.close();
    }

    private void users(Context ctx) throws IOException {
        int limit = limit(ctx, pageSize);
        String cursor = cursor(ctx);
        if (cursor != null || limit != pageSize) {
            UsersPage page = read(() -> store.users(cursor, limit));
            page.next().ifPresent(next -> ctx.header(NEXT_CURSOR_HEADER, next));
            ctx.contentType(JSON).header("Cache-Control", "no-store").result(PLAYTIME_JSON.page(page));
            return;
        }
        CachedPage snapshot;
        try {
            snapshot = firstPage.get();
        } catch (RuntimeException e) {
            throw new PlaytimeUnavailableException("playtime store unavailable", e);
        }
        snapshot.page().next().ifPresent(next -> ctx.header(NEXT_CURSOR_HEADER, next));
        ctx.contentType(JSON).header("Cache-Control", "no-store").header("Vary", "Accept-Encoding")
                .header(AGE_HEADER, Long.toString(snapshot.ageMillis()));
        if (acceptsGzip(ctx.header("Accept-Encoding"))) {
            // Content-Encoding set here also keeps Javalin from compressing the body a second time.
            ctx.header("Content-Encoding", "gzip");
            sendAsItIs(ctx, snapshot.gzipped());
        } else {
            sendAsItIs(ctx, snapshot.json()); // the client takes no gzip, so Javalin does not compress it either
        }
    }

    private void top(Context ctx) {
        int limit = limit(ctx, DEFAULT_TOP);
        byte[] body = PLAYTIME_JSON.top(read(() -> store.top(limit)));
        ctx.contentType(JSON).header("Cache-Control", "no-store").result(body);
    }

    private void user(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.length() > MAX_USER_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "invalid user id"));
            return;
        }
        Optional<Map<String, Long>> amounts = read(() -> store.user(id));
        ctx.contentType(JSON).header("Cache-Control", "no-store");
        if (amounts.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "unknown user"));
        } else {
            ctx.result(PLAYTIME_JSON.group(id, amounts.get()));
        }
    }

    private void failures(Context ctx) {
        records(ctx, store::failures, PLAYTIME_JSON::failures);
    }

    private void rejects(Context ctx) {
        records(ctx, store::rejects, PLAYTIME_JSON::rejects);
    }

    /** A page of records, oldest first, paged by {@code limit} and {@code cursor} like the users. */
    private <T> void records(Context ctx, BiFunction<String, Integer, Page<T>> read,
                             Function<Page<T>, byte[]> json) {
        int limit = limit(ctx, pageSize);
        String cursor = cursor(ctx);
        Page<T> page = read(() -> read.apply(cursor, limit));
        page.next().ifPresent(next -> ctx.header(NEXT_CURSOR_HEADER, next));
        ctx.contentType(JSON).header("Cache-Control", "no-store").result(json.apply(page));
    }

    /**
     * The cached page, written straight to the response rather than through ctx.result(), which copies every body
     * through a fresh 32 KB buffer: most of what a request allocated, and so most of the GC pauses under load. It
     * goes out as it is (gzipped already, or to a client that takes no gzip), so the length is known.
     */
    private static void sendAsItIs(Context ctx, byte[] body) throws IOException {
        ctx.res().setContentLength(body.length);
        ctx.outputStream().write(body);
    }

    /** A read of one page; a store that cannot answer is a 503, a cursor it does not know a 400. */
    private static <T> T read(Supplier<T> page) {
        try {
            return page.get();
        } catch (IllegalArgumentException badCursor) {
            throw new BadPageException("cursor must be the Sluice-Next-Cursor of a previous page");
        } catch (RuntimeException e) {
            throw new PlaytimeUnavailableException("playtime store unavailable", e);
        }
    }

    private int limit(Context ctx, int fallback) {
        String limit = ctx.queryParam("limit");
        if (limit == null) {
            return fallback;
        }
        if (!limit.matches("[0-9]{1,6}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > pageSize) {
            throw new BadPageException("limit must be a whole number from 1 to " + pageSize);
        }
        return Integer.parseInt(limit);
    }

    private static String cursor(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && (cursor.isEmpty() || cursor.length() > 2 * MAX_USER_ID_LENGTH + 64)) {
            throw new BadPageException("cursor must be the Sluice-Next-Cursor of a previous page");
        }
        return cursor;
    }

    /** A {@code limit} or {@code cursor} the API cannot use: 400 with this message, which never echoes it. */
    private static final class BadPageException extends RuntimeException {
        BadPageException(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether {@code Accept-Encoding} lists gzip without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        return new ReadRoute.ReadRequest(Map.of(), Map.of(), acceptEncoding == null ? Map.of()
                : Map.of("Accept-Encoding", acceptEncoding)).acceptsGzip();
    }
}
