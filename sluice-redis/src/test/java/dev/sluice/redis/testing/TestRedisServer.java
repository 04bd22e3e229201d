package dev.sluice.redis.testing;

import dev.sluice.redis.RedisSettings;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One Redis server for tests, reached lazily: a test skips (or fails on CI) at the point it needs a server that is
 * not there, with a message naming it, instead of failing the whole run while arguments are built. Every
 * {@link #settings()} gets a fresh key prefix; {@link #close()} deletes the keys under all of them.
 */
public final class TestRedisServer implements AutoCloseable {

    private final String description;
    private final Supplier<String> serverUrl;
    private final List<String> prefixes = new ArrayList<>();
    private String url;

    /**
     * @param description shown as the test's display name, e.g. {@code embedded Redis 6.2}
     * @param serverUrl   gives {@code redis://host:port} of a running server, or throws (or aborts the test) when
     *                    there is none
     */
    TestRedisServer(String description, Supplier<String> serverUrl) {
        this.description = Objects.requireNonNull(description, "description");
        this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    }

    /** Settings for this server with a key prefix nobody else uses. */
    public synchronized RedisSettings settings() {
        String prefix = "sluice-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        prefixes.add(prefix);
        return new RedisSettings(url()).withKeyPrefix(prefix);
    }

    /** A plain client for setting up and checking state behind the store's back; close it. */
    public RedisClient client() {
        RedisSettings settings = new RedisSettings(url());
        return RedisClient.create(settings.host(), settings.port());
    }

    public synchronized String url() {
        if (url == null) {
            url = serverUrl.get();
        }
        return url;
    }

    @Override
    public synchronized void close() {
        if (url == null) {
            return;
        }
        try (RedisClient redis = client()) {
            for (String prefix : prefixes) {
                ScanParams match = new ScanParams().match(prefix + "*").count(1000);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = redis.scan(cursor, match);
                    if (!page.getResult().isEmpty()) {
                        redis.del(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        prefixes.clear();
    }

    @Override
    public String toString() {
        return description;
    }
}
