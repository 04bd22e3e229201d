package dev.sluice.local;

import java.net.URI;
import java.nio.file.Path;
import redis.clients.jedis.RedisClient;

/** Main class of a child JVM that starts Redis, writes a key and waits to be killed. */
final class RedisHolder {

    private RedisHolder() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        EmbeddedRedis redis = EmbeddedRedis.start(Path.of(arguments[0]));
        try (RedisClient client = RedisClient.create(URI.create(redis.url()))) {
            client.set("written-before-kill", "7");
        }
        long redisPid = RedisPidFile.INSTANCE.readPid(redis.dataDirectory().toAbsolutePath().normalize()).orElseThrow();
        System.out.println("READY " + redis.port() + " " + redisPid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
