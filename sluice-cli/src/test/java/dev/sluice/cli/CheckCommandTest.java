package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedRedis;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice check} against a real embedded SQS and a real PostgreSQL: one line per endpoint. */
class CheckCommandTest {
    static EmbeddedSqs sqs;
    static TestDatabase db;
    static EmbeddedRedis redis;
    @TempDir
    static Path redisData;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        sqs = EmbeddedSqs.start();
        sqs.createQueueWithDeadLetterQueue("check-queue", 5);
        sqs.createQueueWithDeadLetterQueue("check-playtime", 5);
        db = TestDatabases.embedded();
        redis = EmbeddedRedis.start(redisData);
    }

    @AfterAll
    static void stopServers() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Path keyset() {
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file);
        return file;
    }

    @Test
    void everyEndpointReachableGivesOkLinesAndExitZero() {
        Path config = TestConfigs.withPlaytime(TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                db.jdbcUrl(), "check-queue", keyset()), redis.url(), "check-playtime");

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines()).as("%s", result).hasSize(6)
                .allSatisfy(line -> assertThat(line).startsWith("ok "));
        assertThat(result.outLines()).extracting(line -> line.substring(6).split(" +")[0])
                .containsExactly("config", "keys", "postgres", "sqs", "redis", "sqs");
        assertThat(result.out()).contains("logins queue check-queue", "playtime queue check-playtime",
                redis.url() + " reachable", config.toString());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void anUnreachableRedisIsAFailLineNamingIt() {
        String nobody = "redis://127.0.0.1:" + TestConfigs.closedPort();
        Path config = TestConfigs.withPlaytime(TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                db.jdbcUrl(), "check-queue", keyset()), nobody, "check-playtime");

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(line(result, "redis")).startsWith("FAIL ").contains(nobody.substring("redis://".length()));
    }

    @Test
    void unreachablePostgresAndMissingQueueAreFailLinesNamingThemAndExitOne() {
        int port = TestConfigs.closedPort();
        Path config = TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                "jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=postgres", "no-such-queue", keyset());

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.outLines()).as("%s", result).hasSize(6);
        assertThat(line(result, "postgres")).startsWith("FAIL ").contains("127.0.0.1:" + port);
        assertThat(line(result, "sqs")).startsWith("FAIL ").contains("no-such-queue")
                .contains(sqs.endpoint().toString());
        assertThat(line(result, "config")).startsWith("ok ");
        assertThat(line(result, "keys")).startsWith("ok ");
    }

    @Test
    void aKeysetFileOthersCanReadIsAFailLineSayingChmod600() throws IOException {
        Path keyset = keyset();
        Files.setPosixFilePermissions(keyset, PosixFilePermissions.fromString("rw-r--r--"));
        Path config = TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(), db.jdbcUrl(), "check-queue",
                keyset);

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(line(result, "keys")).startsWith("FAIL ").contains(keyset.toString())
                .contains("chmod 600 " + keyset);
        assertThat(line(result, "postgres")).startsWith("ok ");
        assertThat(line(result, "sqs")).startsWith("ok ");
    }

    private static String line(Cli.Result result, String what) {
        return result.outLines().stream().filter(l -> l.length() > 6 && l.substring(6).startsWith(what + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + what + " in\n" + result));
    }
}
