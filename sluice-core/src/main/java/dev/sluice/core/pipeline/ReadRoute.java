package dev.sluice.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read endpoint a plugin contributes for the data it owns (totals, daily counts, partitions). The server mounts it
 * under {@code /api/}, behind the bearer token, and owns nothing of the data: it only passes requests through.
 *
 * <pre>{@code
 * ReadRoute totals = ReadRoute.of("/api/sessions/players/{id}", request ->
 *         ReadReply.json(store.totalsJson(request.pathParameter("id"))));
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

    /**
     * The request as a handler needs it.
     *
     * @param headers the request's headers by lower-case name (what content encodings it accepts)
     */
    record ReadRequest(Map<String, String> pathParameters, Map<String, List<String>> query,
                       Map<String, String> headers) {
        public ReadRequest {
            headers = headers.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue, (a, b) -> a));
        }

        public ReadRequest(Map<String, String> pathParameters, Map<String, List<String>> query) {
            this(pathParameters, query, Map.of());
        }

        public String pathParameter(String name) {
            return pathParameters.get(name);
        }

        public Optional<String> queryParameter(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** Whether {@code Accept-Encoding} lists gzip without {@code q=0}. */
        public boolean acceptsGzip() {
            String acceptEncoding = headers.get("accept-encoding");
            if (acceptEncoding == null) {
                return false;
            }
            for (String coding : acceptEncoding.split(",")) {
                String[] parts = coding.split(";");
                if (parts[0].strip().equalsIgnoreCase("gzip")) {
                    for (int i = 1; i < parts.length; i++) {
                        if (parts[i].strip().toLowerCase(java.util.Locale.ROOT).matches("q=0(\\.0{0,3})?")) {
                            return false;
                        }
                    }
                    return true;
                }
            }
            return false;
        }

        /** A request header, whatever the case of its name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /**
     * The answer: a status, a media type, the body and headers of its own (a next page's cursor, the body's
     * {@code Content-Encoding} when it is compressed already, a {@code Cache-Control} stricter than the server's).
     */
    record ReadReply(int status, String contentType, byte[] body, Map<String, String> headers) {
        public ReadReply {
            headers = Map.copyOf(headers);
        }

        public ReadReply(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        public static ReadReply json(String json) {
            return json(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** A JSON body written already, e.g. by a generator. */
        public static ReadReply json(byte[] json) {
            return new ReadReply(200, "application/json", json);
        }

        public static ReadReply png(byte[] image) {
            return new ReadReply(200, "image/png", image);
        }

        /** A 4xx/5xx with a JSON error body; {@code error} must be PII-free. */
        public static ReadReply error(int status, String error) {
            return new ReadReply(status, "application/json", ("{\"error\":\"" + error.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** This reply with {@code headers} added. */
        public ReadReply withHeaders(Map<String, String> more) {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.putAll(more);
            return new ReadReply(status, contentType, body, all);
        }
    }

    @FunctionalInterface
    interface Handler {
        ReadReply handle(ReadRequest request) throws Exception;
    }
}
