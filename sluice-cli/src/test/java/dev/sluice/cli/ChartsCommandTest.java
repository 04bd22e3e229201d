package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import dev.sluice.pipelines.dailycounts.DailyCounts;
import dev.sluice.pipelines.dailycounts.DailyCountsJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice charts tracking} against a real embedded PostgreSQL and s3proxy. */
class ChartsCommandTest {
    /** The advisory lock the definition's charts job runs under, the schedule's and the command's alike. */
    private static final String LOCK = "tracking-charts";
    static EmbeddedS3 s3;
    static TestDatabase db;
    @TempDir
    static Path s3Data;

    @TempDir
    Path dir;
    private final String bucket = "tracking-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startServers() {
        s3 = EmbeddedS3.start(s3Data);
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
    }

    @Test
    void drawsEachReportEventOnceIntoTheTrackingBucket() throws Exception {
        s3.createBucket(bucket);
        Path config = config("[submission_success, registration_initiated]");

        Cli.Result first = Cli.run("charts", "tracking", "--config", config.toString());

        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(first.out()).startsWith("2 charts drawn: s3://" + bucket + "/tracking-reports/submission_success/")
                .contains("s3://" + bucket + "/tracking-reports/registration_initiated/");
        try (S3Client client = s3.newClient()) {
            List<String> keys = client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(keys).hasSize(4).allMatch(k -> k.matches(
                    "tracking-reports/(submission_success|registration_initiated)/\\d{8}-\\d{6}\\.(png|json)"));
            String json = keys.stream().filter(k -> k.startsWith("tracking-reports/submission_success/")
                    && k.endsWith(".json")).findFirst().orElseThrow();
            DailyCounts counts = DailyCountsJson.read(client.getObjectAsBytes(r -> r.bucket(bucket).key(json))
                    .asByteArray());
            assertThat(counts.days()).hasSize(30);
            assertThat(counts.days().getLast().day()).isEqualTo(LocalDate.ofInstant(counts.generatedAt(), ZoneOffset.UTC));
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT count(*) FROM events").next()).as("the command migrated the table").isTrue();
        }
    }

    @Test
    void anEventNameThatCannotBeAKeyIsRefusedBeforeAnythingIsDrawn() throws IOException {
        s3.createBucket(bucket);
        Path config = config("[submission_success, \"../Registration\"]");

        Cli.Result result = Cli.run("charts", "tracking", "--config", config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).contains("pipelines.tracking.jobs[1]").contains("'../Registration'")
                .contains(DailyCounts.EVENT_RULE);
        try (S3Client client = s3.newClient()) {
            assertThat(client.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        }
    }

    @Test
    void anotherInstanceDrawingRightNowMakesTheCommandSkipAndSaySo() throws Exception {
        s3.createBucket(bucket);
        Path config = config("[submission_success]");
        Cli.Result result = AnotherInstance.runningJob(db, LOCK, "charts", "tracking", "--config",
                config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.out()).contains("another instance is running job " + LOCK);
        try (S3Client client = s3.newClient()) {
            assertThat(client.listObjectsV2(r -> r.bucket(bucket)).contents()).as("nothing drawn").isEmpty();
        }
    }

    private Path config(String events) throws IOException {
        URI nothing = URI.create("http://127.0.0.1:" + TestConfigs.closedPort());
        Path file = TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(nothing, s3.endpoint()),
                db.jdbcUrl(), "unused-queue", dir.resolve("unused-keyset.json"));
        return Files.writeString(file, "  tracking:\n"
                + TestConfigs.trackingBucket(bucket, ", events: " + events).indent(2), StandardOpenOption.APPEND);
    }
}
