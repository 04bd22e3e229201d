package dev.sluice.postgres.testing;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every test of the annotated class once per PostgreSQL server of {@link TestDatabases#each()}, each run with
 * a fresh database that is dropped after it. The class receives it in a field:
 *
 * <pre>{@code
 * @OnEachPostgres
 * class MySinkTest {
 *     @Parameter
 *     TestDatabase database;
 *
 *     @Test
 *     void writes() throws Exception {
 *         try (PostgresDatabase db = new PostgresDatabase(database.settings())) { … }
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@MethodSource("dev.sluice.postgres.testing.TestDatabases#each")
public @interface OnEachPostgres {
}
