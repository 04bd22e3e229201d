package dev.sluice.server;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read routes the running pipelines' plugins contribute ({@link ReadRoute}), mounted as they are: the server
 * knows no pipeline's store, it passes requests through. Every route is under {@code /api/}, so the bearer token
 * guards it. A route that throws answers 503 {@code {"error":"unavailable"}}: the failure is a store that cannot
 * be read (its message may carry data, so only its class is logged, at debug: pages poll every few seconds).
 *
 * <pre>{@code
 * ApiServer.builder().token(token).routes(new PluginRoutes(pipeline.routes())).start();
 * }</pre>
 */
public final class PluginRoutes implements ApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(PluginRoutes.class);

    private final List<ReadRoute> routes;

    public PluginRoutes(List<ReadRoute> routes) {
        this.routes = List.copyOf(routes);
        long distinct = routes.stream().map(ReadRoute::path).distinct().count();
        if (distinct != routes.size()) {
            throw new IllegalArgumentException("two read routes share a path: "
                    + routes.stream().map(ReadRoute::path).sorted().toList());
        }
    }

    @Override
    public void addRoutes(RoutesConfig config) {
        for (ReadRoute route : routes) {
            config.get(route.path(), ctx -> serve(route, ctx));
        }
    }

    private static void serve(ReadRoute route, Context ctx) throws IOException {
        ReadReply reply;
        ReadRequest request = new ReadRequest(ctx.pathParamMap(), ctx.queryParamMap(), ctx.headerMap());
        try {
            reply = route.handle(request);
        } catch (Exception e) {
            log.debug("{} answered 503: {}", route.path(), Redacted.describe(e));
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "unavailable"));
            return;
        }
        ctx.status(reply.status()).header("Cache-Control", "no-cache").contentType(reply.contentType());
        // A reply's own headers win: a stricter Cache-Control, or Content-Encoding for a body compressed already,
        // which also keeps Javalin from compressing it a second time.
        reply.headers().forEach(ctx::header);
        if (reply.headers().containsKey("Content-Encoding") || !request.acceptsGzip()) {
            // Goes out as it is (compressed already, or to a client that takes no gzip, so Javalin would not compress
            // it either), written straight rather than through ctx.result(), which copies every body through a
            // fresh 32 KB buffer: most of what a request for a cached page allocates.
            ctx.res().setContentLength(reply.body().length);
            ctx.outputStream().write(reply.body());
        } else {
            ctx.result(reply.body());
        }
    }
}
