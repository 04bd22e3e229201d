package dev.sluice.redis.testing;

import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

/**
 * Isolated key spaces for integration tests, on the two servers the suite runs against: an embedded Redis 6.2 (one
 * per JVM, started on first use, stopped by a shutdown hook) and the machine's Redis 7 service at
 * {@value #SERVICE_HOST}:{@value #SERVICE_PORT}. When the service is unreachable, its cases are skipped with a
 * message naming the address, except when the environment variable {@code CI} is {@code true}: CI has the service,
 * so there its absence fails the run.
 *
 * <p>To run a whole test class once per server, annotate it with {@link OnEachRedis}. Tests never flush a server:
 * each gets key prefixes of its own, deleted afterwards, so the shared service is left as it was.
 */
public final class TestRedis {

    public static final String SERVICE_HOST = "127.0.0.1";
    public static final int SERVICE_PORT = 6379;

    private static RedisServer embeddedServer;
    private static int embeddedPort;
    private static RuntimeException embeddedFailure;

    private TestRedis() {
    }

    /** Each server; the argument source of {@link OnEachRedis}. */
    public static List<TestRedisServer> each() {
        return List.of(embedded(), service());
    }

    /** The embedded Redis 6.2 of this JVM. */
    public static TestRedisServer embedded() {
        return new TestRedisServer("embedded Redis 6.2", () -> "redis://127.0.0.1:" + embeddedPort());
    }

    /** The Redis service at {@value #SERVICE_HOST}:{@value #SERVICE_PORT}. */
    public static TestRedisServer service() {
        return service(SERVICE_HOST, SERVICE_PORT, "true".equals(System.getenv("CI")));
    }

    static TestRedisServer service(String host, int port, boolean onCi) {
        String address = host + ":" + port;
        return new TestRedisServer("Redis service at " + address, () -> {
            DefaultJedisClientConfig quick = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(2000).socketTimeoutMillis(2000).build();
            try (RedisClient probe = RedisClient.builder().hostAndPort(host, port).clientConfig(quick).build()) {
                probe.ping();
                return "redis://" + address;
            } catch (JedisException e) {
                String why = "Redis service at " + address + " is not reachable (" + e.getMessage() + ")";
                if (onCi) {
                    throw new IllegalStateException(why + "; CI=true, where it must run", e);
                }
                return Assumptions.abort(why + "; skipping its cases (they fail instead when CI=true)");
            }
        });
    }

    /** A port nobody listens on right now, for a server a test starts and stops itself. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    private static synchronized int embeddedPort() {
        if (embeddedFailure != null) {
            throw embeddedFailure;
        }
        if (embeddedServer == null) {
            int port = freePort();
            try {
                RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (IOException e) {
                        System.err.println("could not stop embedded Redis on port " + port + ": " + e);
                    }
                }));
                embeddedServer = server;
                embeddedPort = port;
            } catch (IOException e) {
                embeddedFailure = new UncheckedIOException("could not start embedded Redis on port " + port, e);
                throw embeddedFailure;
            }
        }
        return embeddedPort;
    }
}
