package dev.sluice.cli;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.parquet.Compression;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.parquet.EventDurationFileWriter;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.RedisSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Logs operators can trust: the whole logins fixture (99 logins and its malformed body), rejects derived from it,
 * and playtime files whose user ids are the fixture's run through {@code sluice run logins playtime} in its own JVM,
 * with the production logging configuration at DEBUG for Sluice. One fixture user's Redis key is poisoned (a string
 * where its hash goes), so Redis answers {@code WRONGTYPE} about that very key on every attempt to count a file
 * holding it. Nothing that process writes, log lines on stderr or command output on stdout, contains an
 * {@code ip}, {@code device_id} or {@code user_id} of the fixture.
 */
class LogsCarryNoPiiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The fields of the fixture that are personal data. */
    private static final List<String> PII_FIELDS = List.of("ip", "device_id", "user_id");
    /**
     * Values shorter than this are too generic to mean anything when found in a log (a "10" or "ios" turns up by
     * chance); the fixture has none (its shortest, an IP, has 10 characters), but derived data might.
     */
    private static final int MEANINGFUL_LENGTH = 6;

    @TempDir
    Path dir;

    @Test
    void noFixtureIpDeviceIdOrUserIdAppearsInAnythingRunWrites() throws Exception {
        Path fixture = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        List<String> fixtureBodies = Files.readAllLines(fixture).stream().filter(l -> !l.isBlank()).toList();
        Set<String> pii = piiValues(fixtureBodies);
        assertThat(pii).as("99 logins with 3 distinct personal values each").hasSize(99 * 3);
        List<String> fixtureUserIds = fixtureBodies.stream().map(JSON::readTree).filter(b -> b.has("user_id"))
                .map(b -> b.get("user_id").stringValue()).toList();
        // The last user's key is poisoned; the good and the bad file hold the others, so they are counted or
        // refused as usual while the poisoned file fails on every attempt.
        String poisonedUser = fixtureUserIds.getLast();
        List<String> userIds = fixtureUserIds.subList(0, fixtureUserIds.size() - 1);
        List<String> bodies = new ArrayList<>(fixtureBodies);
        bodies.addAll(rejectsMadeOf(JSON.readTree(fixtureBodies.getFirst()), fixtureBodies.getFirst()));

        try (LocalStack local = LocalStack.start(dir.resolve("stack"));
             SqsClient sqs = local.stack().sqs().newClient();
             S3Client s3 = local.stack().s3().newClient()) {
            Map<String, String> env = new HashMap<>(local.environment());
            env.put("SLUICE_LOG_LEVEL", "DEBUG");
            RedisSettings stackRedis = new RedisSettings(env.get("SLUICE_REDIS_URL"));
            try (RedisClient redis = RedisClient.create(stackRedis.host(), stackRedis.port())) {
                redis.set(new TotalsKeys(RedisSettings.DEFAULT_KEY_PREFIX, "playtime", "user").group(poisonedUser),
                        "not a hash");
            }
            try (SluiceProcess run = SluiceProcess.start(dir, "run", env, "run", "logins", "playtime",
                    "--port", "0")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> run.out().contains("running logins, playtime")
                        || !run.isAlive());
                assertThat(run.isAlive()).as("stderr:%n%s", run.err()).isTrue();

                SqsBatchSender.send(sqs, SqsSource.queueUrl(sqs, ConfigSource.LOGINS_QUEUE), bodies);
                String notifications = SqsSource.queueUrl(sqs, ConfigSource.PLAYTIME_QUEUE);
                NotifyingUploader uploader = new NotifyingUploader(s3, sqs, notifications,
                        LocalAwsAccount.REGION.id(), Clock.systemUTC());
                uploader.upload(playtimeFile("good.parquet", userIds, 1), ConfigSource.PLAYTIME_BUCKET,
                        "fixture/good.parquet");
                // A negative duration in the last row: the file is refused, dead-lettered after its receives.
                uploader.upload(playtimeFile("negative.parquet", userIds, -1), ConfigSource.PLAYTIME_BUCKET,
                        "fixture/negative.parquet");

                String database = local.stack().postgres().jdbcUrl();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(count(database, "user_logins")).isEqualTo(99);
                    assertThat(count(database, "login_errors")).isEqualTo(bodies.size() - 99);
                    assertThat(run.err()).contains("counted s3:" + ConfigSource.PLAYTIME_BUCKET
                            + "/fixture/good.parquet@");
                    assertThat(SqsSource.approximateDepth(sqs, notifications)).as("the bad file dead-lettered")
                            .isZero();
                });
                // Last, as it fails on every attempt: Redis refuses its script with WRONGTYPE about the poisoned
                // key. The failure is logged with each retry, naming the key's pattern.
                uploader.upload(playtimeFile("poisoned.parquet", List.of(poisonedUser, poisonedUser), 1),
                        ConfigSource.PLAYTIME_BUCKET, "fixture/poisoned.parquet");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(run.err())
                        .contains("WRONGTYPE").contains("a key {playtime}:user:<id> is a string, not a hash"));
                assertThat(run.interruptAndWait(Duration.ofSeconds(60))).as("Ctrl-C stops run").isTrue();

                String err = run.err();
                String out = run.out();
                assertThat(out).contains("logins: received " + bodies.size() + "  written 99  rejected "
                        + (bodies.size() - 99));
                // The scan below means something only if the lines it scans are there, DEBUG ones included.
                List<JsonNode> lines = err.lines().map(JSON::readTree).toList();
                assertThat(lines).extracting(line -> line.get("level").stringValue()).contains("DEBUG", "INFO");
                assertThat(lines).extracting(line -> line.path("message").stringValue(""))
                        .anyMatch(m -> m.contains(": rejected sqs:" + ConfigSource.LOGINS_QUEUE + "/"))
                        .anyMatch(m -> m.contains("file refused: row " + userIds.size()
                                + ": EventDuration is negative"));
                // The values are letters, digits, dots and dashes, which JSON writes as they are, so a search of
                // the raw output finds them in the message, in any field and in stack traces alike.
                List<String> leaks = Stream.concat(err.lines(), out.lines())
                        .filter(line -> pii.stream().anyMatch(line::contains)).toList();
                assertThat(leaks).as("lines of stderr or stdout with a fixture ip, device_id or user_id").isEmpty();
            }
        }
    }

    /**
     * The same for tracking and the lake: {@code sluice run tracking lake} (the lake fed from SQS) with events whose
     * user ids, anonymous ids, IPs, device ids and payload strings are values of their own, half of them breaking a
     * rule while carrying those values, so reject reasons and reject log lines are made from them too.
     */
    @Test
    void noPersonalValueOfTrackingOrLakeEventsAppearsInAnythingRunWrites() throws Exception {
        Set<String> pii = new TreeSet<>();
        List<String> trackingEvents = new ArrayList<>();
        List<String> lakeEvents = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 10; i++) {
            String user = "pii-user-" + UUID.randomUUID();
            String anonymous = UUID.randomUUID().toString();
            String ip = "203.0.113." + (100 + i);
            String device = "pii-device-" + UUID.randomUUID();
            String note = "pii-payload-" + UUID.randomUUID();
            pii.addAll(List.of(user, anonymous, ip, device, note));
            ObjectNode tracked = JSON.createObjectNode().put("id", UUID.randomUUID().toString())
                    .put("event", "submission_success").put("timestamp", "2026-11-22 10:00:00.000000")
                    .put("anonymous_id", anonymous).put("user_id", user).put("context_ip", ip)
                    .put("context_device_id", device).put("note", note);
            trackingEvents.add(JSON.writeValueAsString(tracked));
            // A timestamp made of a personal value: the reason names the field, the reject keeps the body.
            trackingEvents.add(JSON.writeValueAsString(tracked.deepCopy().put("timestamp", user)));
            ObjectNode event = JSON.createObjectNode().put("event_uuid", UUID.randomUUID().toString())
                    .put("event_name", "account:login").put("created_at", now).put("user_id", user)
                    .put("ip", ip).put("device_id", device).put("note", note);
            lakeEvents.add(JSON.writeValueAsString(event));
            lakeEvents.add(JSON.writeValueAsString(event.deepCopy().put("created_at", note)));
            lakeEvents.add(JSON.writeValueAsString(event.deepCopy().put("event_name", ip + ":" + device)));
        }

        try (LocalStack local = LocalStack.start(dir.resolve("stack"));
             SqsClient sqs = local.stack().sqs().newClient()) {
            Map<String, String> env = new HashMap<>(local.environment());
            env.put("SLUICE_LOG_LEVEL", "DEBUG");
            // The lake fed from SQS: its source replaced, as docs/pipelines/lake.md says.
            Path config = Files.writeString(dir.resolve("sluice.yaml"), ConfigSource.builtIn().replace(
                    "      stream: ${SLUICE_LAKE_STREAM:-product-events}", "      type: sqs\n      queue: lake-events"));
            try (SluiceProcess run = SluiceProcess.start(dir, "run", env, "run", "--config", config.toString(),
                    "tracking", "lake", "--port", "0")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> run.out().contains("running tracking, lake")
                        || !run.isAlive());
                assertThat(run.isAlive()).as("stderr:%n%s", run.err()).isTrue();

                SqsBatchSender.send(sqs, SqsSource.queueUrl(sqs, ConfigSource.TRACKING_QUEUE), trackingEvents);
                SqsBatchSender.send(sqs, SqsSource.queueUrl(sqs, "lake-events"), lakeEvents);
                String database = local.stack().postgres().jdbcUrl();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(count(database, "tracking_rejects")).isEqualTo(10);
                    assertThat(count(database, "lake_errors")).isEqualTo(20);
                });
                assertThat(run.interruptAndWait(Duration.ofSeconds(60))).as("Ctrl-C stops run").isTrue();

                String err = run.err();
                String out = run.out();
                assertThat(out).contains("tracking: received 20 ").contains("lake: received 30 ");
                List<JsonNode> lines = err.lines().map(JSON::readTree).toList();
                assertThat(lines).extracting(line -> line.path("message").stringValue(""))
                        .anyMatch(m -> m.contains(": rejected sqs:" + ConfigSource.TRACKING_QUEUE + "/"))
                        .anyMatch(m -> m.contains(": rejected sqs:lake-events/"));
                List<String> leaks = Stream.concat(err.lines(), out.lines())
                        .filter(line -> pii.stream().anyMatch(line::contains)).toList();
                assertThat(leaks).as("lines of stderr or stdout with a personal value of an event").isEmpty();
            }
        }
    }

    /** Every ip, device_id and user_id of the fixture, as the strings a log line would show. */
    private static Set<String> piiValues(List<String> bodies) {
        Set<String> values = new TreeSet<>();
        for (String body : bodies) {
            JsonNode login = JSON.readTree(body);
            for (String field : PII_FIELDS) {
                JsonNode value = login.get(field);
                if (value != null && !value.isNull() && value.asString().length() >= MEANINGFUL_LENGTH) {
                    values.add(value.asString());
                }
            }
        }
        return values;
    }

    /**
     * Bodies with the first login's personal values that each break one rule, so reject reasons and reject log
     * lines are made from bodies full of PII: an ip of the wrong type, an app version that is no version, a
     * duplicate key.
     */
    private static List<String> rejectsMadeOf(JsonNode login, String raw) {
        ObjectNode wrongType = (ObjectNode) login.deepCopy();
        wrongType.putObject("ip").put("v4", login.get("ip").stringValue());
        ObjectNode badVersion = (ObjectNode) login.deepCopy();
        badVersion.put("app_version", "v" + login.get("device_id").stringValue());
        String duplicateKey = "{\"user_id\": \"" + login.get("user_id").stringValue() + "\", " + raw.substring(1);
        return List.of(JSON.writeValueAsString(wrongType), JSON.writeValueAsString(badVersion), duplicateKey);
    }

    /** A playtime file with a row per user id; the last row's duration is {@code lastDuration}. */
    private Path playtimeFile(String name, List<String> userIds, long lastDuration) throws IOException {
        Path file = dir.resolve(name);
        try (EventDurationFileWriter writer = EventDurationFileWriter.create(file,
                Compression.SNAPPY, 1_000, true)) {
            for (int i = 0; i < userIds.size(); i++) {
                writer.write(userIds.get(i), EventDurationFileGenerator.EVENT_TYPES.get(i % 3),
                        i == userIds.size() - 1 ? lastDuration : 5L);
            }
        }
        return file;
    }

    /** Rows in {@code table}; {@code run} migrates its tables before it says it runs. */
    private static long count(String jdbcUrl, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
