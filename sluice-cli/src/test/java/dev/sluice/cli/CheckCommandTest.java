package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedRedis;
import dev.sluice.local.EmbeddedS3;
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
    static EmbeddedS3 s3;
    @TempDir
    static Path redisData;
    @TempDir
    static Path s3Data;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        sqs = EmbeddedSqs.start();
        sqs.createQueueWithDeadLetterQueue("check-queue", 5);
        sqs.createQueueWithDeadLetterQueue("check-playtime", 5);
        db = TestDatabases.embedded();
        redis = EmbeddedRedis.start(redisData);
        sqs.createQueueWithDeadLetterQueue("check-tracking", 5);
        s3 = EmbeddedS3.start(s3Data);
        s3.createBucket("check-tracking");
        sqs.createQueueWithDeadLetterQueue("check-lake", 5);
        s3.createBucket("check-lake");
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
        if (s3 != null) {
            s3.close();
        }
    }

    private Path keyset() {
        Path file = dir.resolve("keyset.json");
        Keyset.generate().writeTo(file);
        return file;
    }

    /** A file whose every pipeline's endpoints are the embedded servers. */
    private Path everyPipelineReachable() {
        return TestConfigs.withLake(TestConfigs.withTracking(TestConfigs.withPlaytime(
                TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(sqs.endpoint(), s3.endpoint()),
                        db.jdbcUrl(), "check-queue", keyset()), redis.url(), "check-playtime"),
                "check-tracking", "check-tracking"), "check-lake", "check-lake");
    }

    @Test
    void everyEndpointReachableGivesOkLinesAndExitZero() {
        Path config = everyPipelineReachable();

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines()).as("%s", result).hasSize(7)
                .allSatisfy(line -> assertThat(line).startsWith("ok "));
        assertThat(result.outLines()).extracting(line -> line.substring(6).split(" +")[0])
                .containsExactly("config", "keys", "postgres", "pipeline", "pipeline", "pipeline", "pipeline");
        assertThat(line(result, "pipeline")).contains("logins built;", "sqs:check-queue", "postgres", " ready");
        // The playtime definition is built as run builds it: its queue (with its dead-letter queue) and Redis.
        assertThat(playtimeLine(result)).contains("sqs:check-playtime", "redis:playtime", " ready");
        assertThat(result.out()).contains("tracking built;", "sqs:check-tracking", "lake built;", "sqs:check-lake",
                config.toString());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void namingAPipelineChecksOnlyItsEndpoints() {
        Path config = everyPipelineReachable();

        Cli.Result logins = Cli.run("check", "--config", config.toString(), "logins");
        Cli.Result unknown = Cli.run("check", "--config", config.toString(), "logns");

        assertThat(logins.exitCode()).as("%s", logins).isZero();
        assertThat(logins.outLines()).extracting(line -> line.substring(6).split(" +")[0])
                .containsExactly("config", "keys", "postgres", "pipeline");
        assertThat(line(logins, "pipeline")).contains("logins built;");
        assertThat(logins.out()).doesNotContain("playtime", "tracking", "lake");
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines()).singleElement().asString()
                .startsWith("sluice: unknown pipeline 'logns' (known: logins, playtime, tracking, lake)");
    }

    @Test
    void aPlaytimeQueueWithoutADeadLetterQueueIsAFailLineUnlessTheConfigAllowsIt() throws IOException {
        try (var client = sqs.newClient()) {
            client.createQueue(r -> r.queueName("check-playtime-no-dlq"));
        }
        Path config = TestConfigs.withPlaytime(TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                db.jdbcUrl(), "check-queue", keyset()), redis.url(), "check-playtime-no-dlq");

        Cli.Result refused = Cli.run("check", "--config", config.toString());

        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(playtimeLine(refused)).startsWith("FAIL ")
                .contains("pipelines.playtime.source: ")
                .contains("queue check-playtime-no-dlq has no dead-letter queue (no RedrivePolicy attribute)")
                .contains("requireDeadLetterQueue: false");

        Files.writeString(config, Files.readString(config).replace("      queue: check-playtime-no-dlq\n",
                "      queue: check-playtime-no-dlq\n      requireDeadLetterQueue: false\n"));
        Cli.Result allowed = Cli.run("check", "--config", config.toString());

        assertThat(playtimeLine(allowed)).as("%s", allowed).startsWith("ok ")
                .contains("playtime built;", "sqs:check-playtime-no-dlq");
    }

    /** The line of the playtime definition, built as {@code run} builds it. */
    private static String playtimeLine(Cli.Result result) {
        return result.outLines().stream().filter(l -> l.contains("playtime")).findFirst()
                .orElseThrow(() -> new AssertionError("no line names the playtime pipeline: " + result));
    }

    @Test
    void anUnreachableRedisIsAFailLineNamingIt() {
        String nobody = "redis://127.0.0.1:" + TestConfigs.closedPort();
        Path config = TestConfigs.withPlaytime(TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                db.jdbcUrl(), "check-queue", keyset()), nobody, "check-playtime");

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(playtimeLine(result)).startsWith("FAIL ").contains("redis:playtime not ready");
    }

    @Test
    void unreachablePostgresAndMissingQueueAreFailLinesNamingThemAndExitOne() {
        int port = TestConfigs.closedPort();
        Path config = TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(),
                "jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=postgres", "no-such-queue", keyset());

        Cli.Result result = Cli.run("check", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.outLines()).as("%s", result).hasSize(7);
        assertThat(playtimeLine(result)).as("playtime, a definition, is built: its queue is missing")
                .startsWith("FAIL ").contains("playtime-notifications");
        assertThat(result.outLines().getLast()).as("the lake, a definition, is built: its checkpoints' database"
                + " is unreachable").startsWith("FAIL ").contains("pipeline  lake: ");
        assertThat(line(result, "postgres")).startsWith("FAIL ").contains("127.0.0.1:" + port);
        assertThat(line(result, "pipeline")).as("logins, a definition, is built: its queue is missing")
                .startsWith("FAIL ").contains("no-such-queue").contains(sqs.endpoint().toString());
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
        assertThat(line(result, "pipeline")).as("logins masks with that keyset, so it cannot be built")
                .startsWith("FAIL ").contains("chmod 600 " + keyset);
    }

    private static String line(Cli.Result result, String what) {
        return result.outLines().stream().filter(l -> l.length() > 6 && l.substring(6).startsWith(what + " "))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + what + " in\n" + result));
    }
}
