package dev.sluice.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;

import java.util.Map;
import java.util.Objects;

/**
 * The before-handler that lets a request through only with {@code Authorization: Bearer <token>} (RFC 6750); any
 * other request gets 401 with {@code WWW-Authenticate: Bearer} and a JSON error, and no further handler runs. The
 * header is never logged.
 */
final class BearerAuth implements Handler {

    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"sluice\"";

    private final ApiToken token;

    BearerAuth(ApiToken token) {
        this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    public void handle(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            reject(ctx, CHALLENGE, "bearer token required");
        } else if (!token.matches(header.substring(SCHEME.length()).strip())) {
            reject(ctx, CHALLENGE + ", error=\"invalid_token\"", "invalid bearer token");
        }
    }

    private static void reject(Context ctx, String challenge, String error) {
        ctx.skipRemainingHandlers();
        ctx.header("WWW-Authenticate", challenge);
        ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", error));
    }
}
