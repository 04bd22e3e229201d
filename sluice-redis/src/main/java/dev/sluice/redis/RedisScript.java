package dev.sluice.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One Lua script, sent by its SHA-1 ({@code EVALSHA}) so a large script body is not resent with every file, and by
 * its body ({@code EVAL}, which also caches it) when the server answers {@code NOSCRIPT}: after a restart, a
 * failover or {@code SCRIPT FLUSH}. The SHA-1 is computed here, so no {@code SCRIPT LOAD} round trip is needed.
 * Either way the script runs once per call: {@code NOSCRIPT} means it did not run at all.
 */
final class RedisScript {

    private final String name;
    private final String body;
    private final String sha1;

    RedisScript(String name, String body) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
        this.sha1 = sha1(body);
    }

    /** The script in resource {@code dev/sluice/redis/<name>.lua}. */
    static RedisScript load(String name) {
        String resource = name + ".lua";
        try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/sluice/redis/" + resource);
            }
            return new RedisScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read dev/sluice/redis/" + resource, e);
        }
    }

    Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException notCached) {
            return redis.eval(body, keys, args);
        }
    }

    String sha1() {
        return sha1;
    }

    @Override
    public String toString() {
        return name + ".lua@" + sha1.substring(0, 8);
    }

    private static String sha1(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-1", e);
        }
    }
}
