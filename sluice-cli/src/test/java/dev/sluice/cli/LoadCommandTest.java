package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice load tracking} against a real embedded PostgreSQL and s3proxy. */
class LoadCommandTest {
    /** The advisory lock the definition's load job runs under, the schedule's and the command's alike. */
    private static final String LOCK = "tracking-load";
    static EmbeddedS3 s3;
    @TempDir
    static Path s3Data;

    @TempDir
    Path dir;
    TestDatabase db;
    private final String bucket = "tracking-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startS3() {
        s3 = EmbeddedS3.start(s3Data);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void freshDatabase() {
        db = TestDatabases.embedded();
        s3.createBucket(bucket);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        db.close();
    }

    @Test
    void loadsThePendingRawFilesOnceAndPrintsWhatItDid() throws Exception {
        Path fixture = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");
        long events = Files.readAllLines(fixture).stream().filter(l -> !l.isBlank()).count();
        putRaw("tracking-raw/dt=2018-01-30/181352-" + UUID.randomUUID() + ".json.gz", Files.readAllBytes(fixture));
        Path config = config();

        Cli.Result first = Cli.run("load", "tracking", "--config", config.toString());

        assertThat(first.exitCode()).as("%s", first).isZero();
        // A command is a first run, so it lists the whole prefix (later runs of a running pipeline list what is new).
        assertThat(first.out().strip()).isEqualTo("1 files loaded (" + events + " rows, 0 duplicates skipped, "
                + "0 errors), 0 already loaded; full listing: 1 objects listed, 0 ledger rows read, 0 files failed, "
                + "0 skipped after maxTries");
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(events);

        Cli.Result again = Cli.run("load", "tracking", "--config", config.toString());

        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.out().strip()).isEqualTo("0 files loaded (0 rows, 0 duplicates skipped, 0 errors), "
                + "1 already loaded; full listing: 1 objects listed, 1 ledger rows read, 0 files failed, "
                + "0 skipped after maxTries");
        assertThat(count("SELECT count(*) FROM events")).isEqualTo(events);
    }

    @Test
    void anotherInstanceLoadingRightNowMakesTheCommandSkipAndSaySo() throws Exception {
        putRaw("tracking-raw/dt=2018-01-30/181352-" + UUID.randomUUID() + ".json.gz",
                Files.readAllBytes(Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson")));
        Path config = config();
        Cli.Result result = AnotherInstance.runningJob(db, LOCK, "load", "tracking", "--config",
                config.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.out()).contains("another instance is running job " + LOCK);
        assertThat(count("SELECT count(*) FROM events")).as("nothing loaded").isZero();
    }

    private void putRaw(String key, byte[] ndjson) throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(ndjson);
        }
        try (S3Client client = s3.newClient()) {
            client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(gzipped.toByteArray()));
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Path config() throws IOException {
        URI nothing = URI.create("http://127.0.0.1:" + TestConfigs.closedPort());
        Path file = TestConfigs.write(dir.resolve("sluice.yaml"), new AwsEndpoints(nothing, s3.endpoint()),
                db.jdbcUrl(), "unused-queue", dir.resolve("unused-keyset.json"));
        return Files.writeString(file, "  tracking:\n" + TestConfigs.trackingBucket(bucket, "").indent(2),
                StandardOpenOption.APPEND);
    }
}
