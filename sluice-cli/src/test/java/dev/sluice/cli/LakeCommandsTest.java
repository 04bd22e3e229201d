package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import dev.sluice.pipelines.partitions.PartitionsRoutes;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * generate lake → SQS → sluice run lake → files on the embedded S3 → lake query, then lake compact: every distinct
 * event_uuid the generator made is in the lake once, before and after compaction; the running pipeline's API lists
 * the bucket's partitions.
 */
class LakeCommandsTest {
    private static final String QUEUE = "lake-cli";
    private static final String BUCKET = "lake-cli";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int COUNT = 600;
    private static final long SEED = 5;

    @TempDir
    static Path dir;

    static EmbeddedSqs sqs;
    static EmbeddedS3 s3;
    static TestDatabase db;

    @BeforeAll
    static void startServers() {
        sqs = EmbeddedSqs.start();
        sqs.createQueueWithDeadLetterQueue(QUEUE, 5);
        s3 = EmbeddedS3.start(dir.resolve("s3"));
        s3.createBucket(BUCKET);
        db = TestDatabases.embedded();
    }

    @AfterAll
    static void stopServers() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    private static Path config() {
        Path file = TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(sqs.endpoint(), s3.endpoint()),
                db.jdbcUrl(), "unused-queue", dir.resolve("unused-keyset.json"));
        return TestConfigs.withPipeline(file, """
                lake:
                  source: {type: sqs, queue: %s, waitTime: 1s}
                  sink: {bucket: %s, roll: {maxAge: 1s}, workDirectory: "%s"}
                  routes: [{id: partitions, bucket: %s}]
                  jobs: [{id: compact, bucket: %s}]
                """.formatted(QUEUE, BUCKET, dir.resolve("work"), BUCKET, BUCKET));
    }

    @Test
    void everyGeneratedEventIsInTheLakeOnceBeforeAndAfterCompaction() throws Exception {
        Path config = config();
        // The same seed makes the same events: the expected ids and names, derived from the generator itself.
        LakeEventGenerator twin = new LakeEventGenerator(SEED, 100, 0.1, 0.1);
        Set<String> distinct = new LinkedHashSet<>();
        Map<String, Long> perType = new HashMap<>();
        for (int i = 0; i < COUNT; i++) {
            LakeEventGenerator.Generated e = twin.next(Instant.now());
            if (distinct.add(e.eventUuid())) {
                perType.merge(e.eventName().substring(0, e.eventName().indexOf(':')), 1L, Long::sum);
            }
        }
        assertThat(distinct.size()).as("the generator sent duplicates").isLessThan(COUNT);

        Cli.Result generated = Cli.run("generate", "lake", "--queue", QUEUE, "--count", String.valueOf(COUNT),
                "--seed", String.valueOf(SEED), "--duplicate-rate", "0.1", "--late-rate", "0.1", "--config",
                config.toString());
        assertThat(generated.exitCode()).as("%s", generated).isZero();

        ConfigSource.Loaded loaded = ConfigSource.read(config, Map.of());
        try (RunningPipelines running = RunningPipelines.start(loaded, List.of("lake"), Map.of(),
                new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(running.runners().getFirst().metrics().receivedCount()).isEqualTo(COUNT);
                assertThat(running.runners().getFirst().inFlight()).isZero();
            });
            assertThePartitionsRouteShowsTheBucket(running);
        }

        assertLakeHoldsOnce(config, distinct, perType);

        Set<LocalDate> days = new TreeSet<>();
        for (JsonNode row : query(config, "SELECT DISTINCT year, month, day FROM events")) {
            days.add(LocalDate.of(row.get("year").asInt(), row.get("month").asInt(), row.get("day").asInt()));
        }
        for (LocalDate day : days) {
            Cli.Result compacted = Cli.run("lake", "compact", "--day", day.toString(), "--config", config.toString(),
                    "--work", dir.resolve("compact").toString());
            assertThat(compacted.exitCode()).as("%s", compacted).isZero();
            assertThat(compacted.out()).startsWith("day " + day + ": ");
        }
        assertLakeHoldsOnce(config, distinct, perType);
        JsonNode files = query(config, "SELECT count(DISTINCT filename) AS files, "
                + "count(DISTINCT (year, month, day, event_type)) AS partitions FROM read_parquet('"
                + dir.resolve("cache") + "/**/*.parquet', filename = true, hive_partitioning = true)").get(0);
        assertThat(files.get("files").asLong()).as("one file per partition after compaction")
                .isEqualTo(files.get("partitions").asLong());
    }

    /**
     * What the dashboard's lake panel reads, as {@code run lake} serves it: one day of the bucket's files (the day
     * of the first partition), behind the token.
     */
    private static void assertThePartitionsRouteShowsTheBucket(RunningPipelines running) throws Exception {
        Map<String, Long> filesPerPartition = new HashMap<>();
        try (S3Client client = s3.newClient()) {
            client.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().forEach(o -> filesPerPartition.merge(
                    o.key().substring("events/".length(), o.key().lastIndexOf('/')), 1L, Long::sum));
        }
        String dayPath = filesPerPartition.keySet().stream().sorted().findFirst().orElseThrow()
                .substring(0, "year=2026/month=11/day=22/".length());
        String day = dayPath.substring(5, 9) + "-" + dayPath.substring(16, 18) + "-" + dayPath.substring(23, 25);
        filesPerPartition.keySet().removeIf(partition -> !partition.startsWith(dayPath));
        ReadApi api = LoopbackApi.create();
        ApiToken token = ApiToken.generate();
        try (ApiServer server = api.start(running, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), token);
             HttpClient http = HttpClient.newHttpClient()) {
            URI route = URI.create(server.url() + "/api/lake/partitions?day=" + day);
            assertThat(http.send(HttpRequest.newBuilder(route).build(), BodyHandlers.ofString()).statusCode())
                    .as("without the token").isEqualTo(401);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(route)
                    .header("Authorization", "Bearer " + token.value()).build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("files").asLong()).isEqualTo(filesPerPartition.values().stream()
                    .mapToLong(Long::longValue).sum());
            assertThat(body.get("partitions")).hasSize(Math.min(PartitionsRoutes.DEFAULT_MAX_PARTITIONS, filesPerPartition.size()));
            for (JsonNode partition : body.get("partitions")) {
                assertThat(partition.get("files").asLong()).as("%s", partition)
                        .isEqualTo(filesPerPartition.get(partition.get("partition").asString()));
            }
        }
    }

    private static void assertLakeHoldsOnce(Path config, Set<String> distinct, Map<String, Long> perType)
            throws Exception {
        JsonNode totals = query(config, "SELECT count(*) AS n, count(DISTINCT event_uuid) AS d FROM events").get(0);
        assertThat(totals.get("n").asLong()).isEqualTo(distinct.size());
        assertThat(totals.get("d").asLong()).isEqualTo(distinct.size());
        Map<String, Long> lakePerType = new HashMap<>();
        for (JsonNode row : query(config, "SELECT event_type, count(*) AS n FROM events GROUP BY 1")) {
            lakePerType.put(row.get("event_type").asString(), row.get("n").asLong());
        }
        assertThat(lakePerType).isEqualTo(perType);
        Set<String> ids = new TreeSet<>();
        query(config, "SELECT event_uuid FROM events").forEach(r -> ids.add(r.get("event_uuid").asString()));
        assertThat(ids).isEqualTo(new TreeSet<>(distinct));
    }

    private static JsonNode query(Path config, String sql) {
        Cli.Result result = Cli.run("lake", "query", sql, "--format", "json", "--cache",
                dir.resolve("cache").toString(), "--config", config.toString());
        assertThat(result.exitCode()).as("%s", result).isZero();
        return JSON.readTree(result.out());
    }

    @Test
    void tableAndCsvShowTheSameRowsAndABadQueryOrFormatIsAClearError() throws Exception {
        Path config = config();
        String sql = "SELECT 'a,b' AS label, 42 AS n UNION ALL SELECT 'c', 7 ORDER BY n";
        Cli.Result table = Cli.run("lake", "query", sql, "--cache", dir.resolve("cache-2").toString(),
                "--config", config.toString());
        assertThat(table.outLines()).containsExactly("label   n", "-----  --", "c       7", "a,b    42", "(2 rows)");

        Cli.Result csv = Cli.run("lake", "query", sql, "--format", "csv", "--cache",
                dir.resolve("cache-2").toString(), "--config", config.toString());
        assertThat(csv.out()).isEqualTo("label,n\r\nc,7\r\n\"a,b\",42\r\n");

        Cli.Result bad = Cli.run("lake", "query", "SELEC nothing", "--cache", dir.resolve("cache-2").toString(),
                "--config", config.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("the query failed").contains("syntax error");

        Cli.Result format = Cli.run("lake", "query", sql, "--format", "xml", "--config", config.toString());
        assertThat(format.exitCode()).isNotZero();
        assertThat(format.err()).contains("--format must be table, csv or json, was xml");
    }
}
