package dev.sluice.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read endpoint a plugin contributes for the data it owns (totals, daily counts, partitions). The server mounts it
 * under {@code /api/}, behind the bearer token, and owns nothing of the data: it only passes requests through.
 *
 * <pre>{@code
 * ReadRoute totals = ReadRoute.of("/api/playtime/{user_id}", request ->
 *         ReadReply.json(store.totalsJson(request.pathParameter("user_id"))));
 * }</pre>
 */
public interface ReadRoute {

    /** Under {@code /api/}; {@code {name}} marks a path parameter. */
    String path();

    ReadReply handle(ReadRequest request) throws Exception;

    static ReadRoute of(String path, Handler handler) {
        if (!path.startsWith("/api/")) {
            throw new IllegalArgumentException("a read route serves data, so it must be under /api/ (behind the token),"
                    + " not " + path);
        }
        return new ReadRoute() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public ReadReply handle(ReadRequest request) throws Exception {
                return handler.handle(request);
            }
        };
    }

    /** The request as a handler needs it. */
    record ReadRequest(Map<String, String> pathParameters, Map<String, List<String>> query) {
        public String pathParameter(String name) {
            return pathParameters.get(name);
        }

        public Optional<String> queryParameter(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }
    }

    /** The answer: a status, a media type and the body. */
    record ReadReply(int status, String contentType, byte[] body) {
        public static ReadReply json(String json) {
            return new ReadReply(200, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static ReadReply png(byte[] image) {
            return new ReadReply(200, "image/png", image);
        }

        /** A 4xx/5xx with a JSON error body; {@code error} must be PII-free. */
        public static ReadReply error(int status, String error) {
            return new ReadReply(status, "application/json", ("{\"error\":\"" + error.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    interface Handler {
        ReadReply handle(ReadRequest request) throws Exception;
    }
}
