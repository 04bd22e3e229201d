package dev.sluice.redis;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code totals} read routes: the totals a {@code parquet_totals} sink keeps, one page at a time, behind the
 * token (they are under {@code /api/}). With {@code path: /api/sessions} and {@code group: player}:
 * <ul>
 *   <li>{@code GET /api/sessions[?limit=N][&cursor=C]}: {@code {"players":{"p1":{"chess":100,"total":105},…},
 *       "total":N,"next":"C"}} (groups in natural order within the page; {@code next} is null on the last page);</li>
 *   <li>{@code GET /api/sessions/top[?limit=N]}: {@code {"players":{…largest first…},"total":N,"count":M}}
 *       (default 10);</li>
 *   <li>{@code GET /api/sessions/players/{id}}: {@code {"player":"p1","sums":{…}}}, or 404
 *       {@code {"error":"unknown player"}} without echoing the id;</li>
 *   <li>{@code GET /api/sessions/failures[?limit=N][&cursor=C]}: {@code {"failures":[{"bucket","key","etag",
 *       "reason","time"}],"next":"C"}}, oldest first.</li>
 * </ul>
 * A bad {@code limit}, {@code cursor} or id is 400 naming the parameter, never echoing it; Redis unable to answer
 * is 503 {@code {"error":"totals store unavailable"}}. No request reads more than one page from Redis.
 */
public final class TotalsRoutes {

    public static final int DEFAULT_TOP = 10;
    public static final int MAX_ID_LENGTH = 512;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static final Plugin<TotalsRoutesSettings, List<ReadRoute>> PLUGIN = Plugin.routes("totals",
            TotalsRoutesSettings.class, "serves the totals of a parquet_totals sink: pages of groups, the"
                    + " leaderboard, one group, failed files", TotalsRoutes::create);

    private final TotalsStore store;
    private final int pageSize;
    private final String groups;

    TotalsRoutes(TotalsStore store, int pageSize) {
        this.store = store;
        this.pageSize = pageSize;
        this.groups = store.keys().group() + "s";
    }

    private static List<ReadRoute> create(TotalsRoutesSettings settings, PluginContext context) {
        RedisSettings redis = context.section(RedisPlugins.SECTION);
        TotalsKeys keys = new TotalsKeys(settings.keyPrefix() == null ? redis.keyPrefix() : settings.keyPrefix(),
                settings.namespace() == null ? context.pipeline() : settings.namespace(), settings.group());
        TotalsStore store = context.closeAtEnd(TotalsStore.open(redis, keys, settings.sum(), TotalsRetention.DEFAULTS));
        return new TotalsRoutes(store, settings.pageSize())
                .routes(settings.path() == null ? "/api/" + keys.namespace() : settings.path());
    }

    List<ReadRoute> routes(String path) {
        return List.of(
                ReadRoute.of(path, answering(this::page)),
                ReadRoute.of(path + "/top", answering(this::top)),
                ReadRoute.of(path + "/" + groups + "/{id}", answering(this::group)),
                ReadRoute.of(path + "/failures", answering(this::failures)));
    }

    private ReadReply page(ReadRequest request) {
        int limit = limit(request, pageSize);
        String cursor = cursor(request);
        UsersPage page = read(() -> store.groups(cursor, limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(groups, page.users());
        body.put("total", page.total());
        body.put("next", page.next().orElse(null));
        return json(body);
    }

    private ReadReply top(ReadRequest request) {
        TopUsers top = read(() -> store.top(limit(request, Math.min(DEFAULT_TOP, pageSize))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(groups, top.users());
        body.put("total", top.total());
        body.put("count", top.usersCount());
        return json(body);
    }

    private ReadReply group(ReadRequest request) {
        String id = request.pathParameter("id");
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("invalid " + store.keys().group() + " id");
        }
        Optional<Map<String, Long>> sums = read(() -> store.group(id));
        if (sums.isEmpty()) {
            return ReadReply.error(404, "unknown " + store.keys().group());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(store.keys().group(), id);
        body.put("sums", sums.get());
        return json(body);
    }

    private ReadReply failures(ReadRequest request) {
        int limit = limit(request, pageSize);
        String cursor = cursor(request);
        Page<FailedFile> page = read(() -> store.failures(cursor, limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("failures", page.items().stream().map(failed -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("bucket", failed.bucket());
            item.put("key", failed.key());
            item.put("etag", failed.etag());
            item.put("reason", failed.reason());
            item.put("time", failed.time().toString());
            return item;
        }).toList());
        body.put("next", page.next().orElse(null));
        return json(body);
    }

    /** Answers 400 or 503 for what a read cannot do, never 500. */
    private static ReadRoute.Handler answering(ReadRoute.Handler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (BadRequest e) {
                return ReadReply.error(400, e.getMessage());
            } catch (RedisUnavailableException e) {
                return ReadReply.error(503, "totals store unavailable");
            }
        };
    }

    private static <T> T read(Supplier<T> page) {
        try {
            return page.get();
        } catch (IllegalArgumentException badCursor) {
            throw new BadRequest("cursor must be the next cursor of a previous page");
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

    private static String cursor(ReadRequest request) {
        String cursor = request.queryParameter("cursor").orElse(null);
        if (cursor != null && (cursor.isEmpty() || cursor.length() > 2 * MAX_ID_LENGTH + 64)) {
            throw new BadRequest("cursor must be the next cursor of a previous page");
        }
        return cursor;
    }

    private static ReadReply json(Map<String, Object> body) {
        return ReadReply.json(JSON.writeValueAsString(body));
    }

    /** A parameter the routes cannot use: 400 with this message, which never echoes it. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
