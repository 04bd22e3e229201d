package dev.sluice.redis;

import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code totals} read routes: the totals a {@code parquet_totals} sink keeps, one page at a time, behind the
 * token (they are under {@code /api/}). With {@code path: /api/sessions} and {@code group: player}, and the default
 * names and {@code cursor: body}:
 * <ul>
 *   <li>{@code GET /api/sessions[?limit=N][&cursor=C]}: {@code {"players":{"p1":{"chess":100,"total":105},…},
 *       "total":N,"next":"C"}} (groups in natural order within the page; {@code next} is null on the last page);</li>
 *   <li>{@code GET /api/sessions/top[?limit=N]}: {@code {"players":{…largest first…},"total":N,"count":M}}
 *       (default 10);</li>
 *   <li>{@code GET /api/sessions/players/{id}}: {@code {"player":"p1","sums":{…}}}, or 404
 *       {@code {"error":"unknown player"}} without echoing the id;</li>
 *   <li>{@code GET /api/sessions/failures[?limit=N][&cursor=C]}: {@code {"failures":[{"bucket","key","etag",
 *       "reason","time"}],"next":"C"}}, oldest first;</li>
 *   <li>with {@code rejects: true}, {@code GET /api/sessions/rejects[?limit=N][&cursor=C]}: {@code {"rejects":[{
 *       "message","reason","body","time"}],"next":"C"}}, what a {@code redis_errors} sink recorded.</li>
 * </ul>
 * With {@code cursor: header} the next cursor is the {@value #NEXT_CURSOR_HEADER} header instead, and failures and
 * rejects are bare arrays (the playtime API's shape). The first page at the default size is served from a snapshot
 * a background thread refreshes ({@link FirstPageCache}), so such a request never waits for Redis; its age is the
 * {@value #AGE_HEADER} header, and it is sent gzipped to a client that accepts gzip, compressed once per snapshot.
 * A bad {@code limit}, {@code cursor} or id is 400 naming the parameter, never echoing it; Redis unable to answer
 * is 503 {@code {"error":"<namespace> store unavailable"}}. No request reads more than one page from Redis. Every
 * answer carries {@code Cache-Control: no-store}: the bodies hold personal data.
 */
public final class TotalsRoutes {

    /** Milliseconds since the served first page was read from Redis. */
    public static final String AGE_HEADER = "Sluice-Snapshot-Age-Ms";
    /** The cursor of the next page with {@code cursor: header}; absent on the last page. */
    public static final String NEXT_CURSOR_HEADER = "Sluice-Next-Cursor";
    public static final int DEFAULT_TOP = 10;
    public static final int MAX_ID_LENGTH = 512;
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

    public static final Plugin<TotalsRoutesSettings, Plugin.RoutesPart> PLUGIN = Plugin.routes("totals",
            TotalsRoutesSettings.class, "serves the totals of a parquet_totals sink: pages of groups, the"
                    + " leaderboard, one group, failed files, rejected notifications", TotalsRoutes::create);

    private final TotalsStore store;
    private final TotalsJson json;
    private final FirstPageCache firstPage;
    private final int pageSize;
    private final boolean cursorInHeader;
    private final String badCursor;
    private final String unavailable;

    TotalsRoutes(TotalsStore store, TotalsRoutesSettings settings, FirstPageCache firstPage) {
        this.store = store;
        this.pageSize = settings.pageSize();
        this.cursorInHeader = settings.cursor() == TotalsRoutesSettings.Cursor.HEADER;
        this.json = json(settings);
        this.firstPage = firstPage;
        this.badCursor = "cursor must be the " + (cursorInHeader ? NEXT_CURSOR_HEADER : "next cursor")
                + " of a previous page";
        this.unavailable = store.keys().namespace() + " store unavailable";
    }

    /** How {@code settings} write the documents. */
    static TotalsJson json(TotalsRoutesSettings settings) {
        return new TotalsJson(settings.names(), settings.group(),
                settings.cursor() == TotalsRoutesSettings.Cursor.BODY);
    }

    private static Plugin.RoutesPart create(TotalsRoutesSettings settings, PluginContext context) {
        RedisSettings redis = context.section(RedisPlugins.SECTION);
        TotalsKeys keys = new TotalsKeys(settings.keyPrefix() == null ? redis.keyPrefix() : settings.keyPrefix(),
                settings.namespace() == null ? context.pipeline() : settings.namespace(), settings.group());
        TotalsStore store = context.closeAtEnd(TotalsStore.open(redis, keys, settings.sum(), TotalsRetention.DEFAULTS));
        FirstPageCache firstPage = context.closeAtEnd(new FirstPageCache(context.pipeline(),
                () -> store.groups(null, settings.pageSize()), json(settings)::page, settings.snapshot().maxAge(),
                settings.snapshot().staleLimit()));
        firstPage.bindTo(context.registry());
        String path = settings.path() == null ? "/api/" + keys.namespace() : settings.path();
        return new Plugin.RoutesPart(new TotalsRoutes(store, settings, firstPage).routes(path, settings.rejects()),
                List.of(panel(path, settings)));
    }

    /**
     * The dashboard's leaderboard over {@code <path>/top}: the largest groups with their sums, the global total and
     * the number of groups, under the member names of {@code settings}.
     */
    static Panel panel(String path, TotalsRoutesSettings settings) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("group", settings.group());
        options.put("groups", settings.names().groups());
        options.put("total", settings.names().total());
        options.put("count", settings.names().count());
        return new Panel("leaderboard", "Top " + settings.names().groups(), path, options);
    }

    List<ReadRoute> routes(String path, boolean rejects) {
        List<ReadRoute> routes = new ArrayList<>(List.of(
                ReadRoute.of(path, answering(this::page)),
                ReadRoute.of(path + "/top", answering(this::top)),
                ReadRoute.of(path + "/" + store.keys().group() + "s/{id}", answering(this::group)),
                ReadRoute.of(path + "/failures", answering(request ->
                        records(request, store::failures, json::failures)))));
        if (rejects) {
            routes.add(ReadRoute.of(path + "/rejects", answering(request ->
                    records(request, store::rejects, json::rejects))));
        }
        return List.copyOf(routes);
    }

    private ReadReply page(ReadRequest request) {
        int limit = limit(request, pageSize);
        String cursor = cursor(request);
        if (cursor != null || limit != pageSize) {
            UsersPage page = read(() -> store.groups(cursor, limit));
            return withNext(ReadReply.json(json.page(page)), page.next());
        }
        CachedPage snapshot = firstPage.get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Vary", "Accept-Encoding");
        headers.put(AGE_HEADER, Long.toString(snapshot.ageMillis()));
        ReadReply reply = ReadReply.json(snapshot.json());
        if (request.acceptsGzip()) {
            headers.put("Content-Encoding", "gzip");
            reply = ReadReply.json(snapshot.gzipped());
        }
        return withNext(reply.withHeaders(headers), snapshot.page().next());
    }

    private ReadReply top(ReadRequest request) {
        TopUsers top = read(() -> store.top(limit(request, Math.min(DEFAULT_TOP, pageSize))));
        return ReadReply.json(json.top(top)).withHeaders(NO_STORE);
    }

    private ReadReply group(ReadRequest request) {
        String id = request.pathParameter("id");
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("invalid " + store.keys().group() + " id");
        }
        Optional<Map<String, Long>> sums = read(() -> store.group(id));
        if (sums.isEmpty()) {
            return ReadReply.error(404, "unknown " + store.keys().group()).withHeaders(NO_STORE);
        }
        return ReadReply.json(json.group(id, sums.get())).withHeaders(NO_STORE);
    }

    /** A page of records, oldest first, paged by {@code limit} and {@code cursor} like the groups. */
    private <T> ReadReply records(ReadRequest request, BiFunction<String, Integer, Page<T>> read,
                                  Function<Page<T>, byte[]> document) {
        int limit = limit(request, pageSize);
        String cursor = cursor(request);
        Page<T> page = read(() -> read.apply(cursor, limit));
        return withNext(ReadReply.json(document.apply(page)), page.next());
    }

    /** No-store, and the next cursor as a header when the cursor goes there. */
    private ReadReply withNext(ReadReply reply, Optional<String> next) {
        ReadReply stored = reply.withHeaders(NO_STORE);
        return cursorInHeader && next.isPresent() ? stored.withHeaders(Map.of(NEXT_CURSOR_HEADER, next.get())) : stored;
    }

    /** Answers 400 or 503 for what a read cannot do, never 500. */
    private ReadRoute.Handler answering(ReadRoute.Handler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (BadRequest e) {
                return ReadReply.error(400, e.getMessage()).withHeaders(NO_STORE);
            } catch (RuntimeException e) {
                // Redis unreachable, or an answer it could not give: the message may carry data, so it is dropped.
                return ReadReply.error(503, unavailable).withHeaders(NO_STORE);
            }
        };
    }

    private <T> T read(Supplier<T> page) {
        try {
            return page.get();
        } catch (IllegalArgumentException unknownCursor) {
            throw new BadRequest(badCursor);
        }
    }

    private int limit(ReadRequest request, int fallback) {
        Optional<String> limit = request.queryParameter("limit");
        if (limit.isEmpty()) {
            return fallback;
        }
        if (!limit.get().matches("[0-9]{1,6}") || Integer.parseInt(limit.get()) < 1
                || Integer.parseInt(limit.get()) > pageSize) {
            throw new BadRequest("limit must be a whole number from 1 to " + pageSize);
        }
        return Integer.parseInt(limit.get());
    }

    private String cursor(ReadRequest request) {
        String cursor = request.queryParameter("cursor").orElse(null);
        if (cursor != null && (cursor.isEmpty() || cursor.length() > 2 * MAX_ID_LENGTH + 64)) {
            throw new BadRequest(badCursor);
        }
        return cursor;
    }

    /** A parameter the routes cannot use: 400 with this message, which never echoes it. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
