package dev.sluice.redis.testing;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every test of the annotated class once per Redis server of {@link TestRedis#each()}; the keys the tests
 * wrote are deleted after each server's run. The class receives the server in a field:
 *
 * <pre>{@code
 * @OnEachRedis
 * class MyStoreTest {
 *     @Parameter
 *     TestRedisServer server;
 *
 *     @Test
 *     void counts() {
 *         try (TotalsStore store = TotalsStore.open(server.settings(), keys, sums, retention)) { … }
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@MethodSource("dev.sluice.redis.testing.TestRedis#each")
public @interface OnEachRedis {
}
