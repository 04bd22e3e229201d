package dev.sluice.pipelines.examples;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.s3.S3EventNotificationBuilder;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.QueueUrls;
import dev.sluice.parquet.totals.TotalsFiles;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.redis.testing.TestRedis;
import dev.sluice.redis.testing.TestRedisServer;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/examples/sessions.yaml as a user runs it: real Parquet files put into the embedded S3 with the notification S3
 * would send to the embedded SQS, summed into the embedded Redis, read back through the HTTP API with the token. The
 * file is read from the repository; only the queue, the key prefix and the timings are overridden.
 */
class SessionsExampleTest {
    private static final EmbeddedSqs SQS = EmbeddedSqs.start();
    private static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory());
    private static final TestRedisServer REDIS = TestRedis.embedded();
    private static final Path EXAMPLE = Path.of(System.getProperty("sluice.root"), "docs", "examples",
            "sessions.yaml");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Class<?>> COLUMNS = columns();
    private static final int MAX_RECEIVES = 2;

    @TempDir
    Path dir;

    private final String queue = "session-files-" + UUID.randomUUID();
    private final String bucket = "sessions-" + UUID.randomUUID().toString().substring(0, 8);
    private final ApiToken token = ApiToken.generate();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void filesAddUpExactlyARedeliveredNotificationAddsNothingAndABadFileIsAFailureWithItsReason() throws Exception {
        QueueUrls urls = SQS.createQueueWithDeadLetterQueue(queue, MAX_RECEIVES);
        S3.createBucket(bucket);
        Map<String, String> environment = new HashMap<>(SQS.environment());
        environment.putAll(S3.environment());
        environment.put("SLUICE_REDIS_URL", REDIS.url());
        String overrides = """
                aws: {accessKeyId: "%s", secretAccessKey: "%s"}
                redis: {keyPrefix: "sessions-test-%s:"}
                pipelines:
                  sessions:
                    source: {queue: %s, waitTime: 1s, visibilityTimeout: 4s}
                    runner: {backoff: {initial: 50ms, max: 500ms}, stopTimeout: 5s}
                """.formatted(environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"),
                UUID.randomUUID(), queue);
        try (SqsClient sqs = SQS.newClient(); S3Client s3 = S3.newClient();
             DefinedPipelines defined = DefinedPipelines.of(environment, Files.readString(EXAMPLE), overrides);
             AssembledPipeline sessions = defined.start("sessions", UnaryOperator.identity());
             ApiServer api = ApiServer.builder().token(token).routes(new PluginRoutes(sessions.routes())).start()) {
            NotifyingUploader uploader = new NotifyingUploader(s3, sqs, urls.queueUrl(), "us-east-1",
                    Clock.systemUTC());
            List<Object[]> day1 = List.of(row("p1", "chess", 3_600L), row("p2", "go", 120L), row("p1", "go", 60L),
                    row("p1", "chess", 40L));
            List<Object[]> day2 = List.of(row("p2", "go", 30L), row("p3", "chess", 5L), row("p10", "go", 1L));
            S3ObjectRef first = uploader.upload(parquet("day-1.parquet", day1), bucket, "2026/12/day 1.parquet");
            uploader.upload(parquet("day-2.parquet", day2), bucket, "2026/12/day-2.parquet");
            awaitSettled(sqs, urls, sessions, 0);

            Map<String, Map<String, Long>> expected = sums(day1, day2);
            assertThat(players(api)).isEqualTo(expected);
            assertThat(get(api, "/api/sessions").get("total").asLong()).isEqualTo(3_856L);
            assertThat(get(api, "/api/sessions/players/p1").get("sums").get("chess").asLong()).isEqualTo(3_640L);
            assertThat(get(api, "/api/sessions/top?limit=1").get("players").propertyNames()).containsExactly("p1");

            // S3 and SQS deliver at least once: the same notification again counts nothing.
            sqs.sendMessage(r -> r.queueUrl(urls.queueUrl()).messageBody(new S3EventNotificationBuilder("us-east-1")
                    .objectCreated(first.bucket(), first.key(), first.size(), first.eTag(), Instant.now())));
            awaitSettled(sqs, urls, sessions, 0);
            assertThat(sessions.runner().metrics().receivedCount()).isEqualTo(3);
            assertThat(players(api)).isEqualTo(expected);

            // seconds written as text: a bad file, recorded with its reason, its notification to the DLQ.
            Path bad = TotalsFiles.write(dir.resolve("bad.parquet"), Map.of("player", String.class, "game",
                    String.class, "seconds", String.class), 10, List.<Object[]>of(new Object[] {"p1", "chess", "3600"}));
            uploader.upload(bad, bucket, "2026/12/bad.parquet");
            awaitSettled(sqs, urls, sessions, 1);
            JsonNode failures = get(api, "/api/sessions/failures").get("failures");
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).get("key").stringValue()).isEqualTo("2026/12/bad.parquet");
            assertThat(failures.get(0).get("reason").stringValue())
                    .isEqualTo("file refused: column seconds: expected INT64, found BINARY (string)");
            assertThat(players(api)).isEqualTo(expected);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(api.url() + "/api/sessions")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("without the token").isEqualTo(401);
        }
    }

    private Path parquet(String name, List<Object[]> rows) throws IOException {
        return TotalsFiles.write(dir.resolve(name), COLUMNS, 2, rows);
    }

    private static Object[] row(String player, String game, long seconds) {
        return new Object[] {player, game, seconds};
    }

    /** Per player: seconds per game and their total, as the routes serve them. */
    @SafeVarargs
    private static Map<String, Map<String, Long>> sums(List<Object[]>... files) {
        Map<String, Map<String, Long>> players = new TreeMap<>();
        for (List<Object[]> file : files) {
            for (Object[] row : file) {
                Map<String, Long> games = players.computeIfAbsent((String) row[0], p -> new TreeMap<>());
                games.merge((String) row[1], (Long) row[2], Long::sum);
                games.merge("total", (Long) row[2], Long::sum);
            }
        }
        return players;
    }

    /** Every page of players, walked by its next cursor. */
    private Map<String, Map<String, Long>> players(ApiServer api) throws Exception {
        Map<String, Map<String, Long>> players = new TreeMap<>();
        String next = null;
        do {
            JsonNode page = get(api, "/api/sessions?limit=2" + (next == null ? "" : "&cursor=" + next));
            page.get("players").properties().forEach(player -> {
                Map<String, Long> games = new TreeMap<>();
                player.getValue().properties().forEach(game -> games.put(game.getKey(), game.getValue().asLong()));
                players.put(player.getKey(), games);
            });
            next = page.get("next").isNull() ? null : page.get("next").stringValue();
        } while (next != null);
        return players;
    }

    private JsonNode get(ApiServer api, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.url() + path))
                .header("Authorization", "Bearer " + token.value()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void awaitSettled(SqsClient sqs, QueueUrls urls, AssembledPipeline sessions, long deadLetters) {
        await().atMost(Duration.ofSeconds(60)).until(() -> SqsSource.approximateDepth(sqs, urls.queueUrl()) == 0
                && sessions.runner().inFlight() == 0 && Long.parseLong(sqs.getQueueAttributes(r -> r
                        .queueUrl(urls.deadLetterQueueUrl())
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) == deadLetters);
    }

    private static Map<String, Class<?>> columns() {
        Map<String, Class<?>> columns = new LinkedHashMap<>();
        columns.put("player", String.class);
        columns.put("game", String.class);
        columns.put("seconds", Long.class);
        return columns;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-sessions-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
