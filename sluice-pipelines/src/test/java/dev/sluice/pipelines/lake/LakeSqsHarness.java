package dev.sluice.pipelines.lake;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.dedupe.DedupeSettings;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.parquet.lake.LakeFileSettings;
import dev.sluice.postgres.PostgresDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The lake pipeline fed from a real embedded SQS queue (fresh per harness, shared server), writing to a {@link TestLake}
 * and a Postgres database with the real {@link LakeErrorSink}; and the queries the tests check.
 */
final class LakeSqsHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    /** One receiver and writer (the lake's rule), quick retries. */
    static final RunnerSettings QUICK = new RunnerSettings(1, 10_000, 100, Duration.ofMillis(5), 1,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(100)), Duration.ofSeconds(10));

    final String queue = "lake-" + UUID.randomUUID();
    final SqsClient sqs = SQS.newClient();
    final String queueUrl = SQS.createQueueWithDeadLetterQueue(queue, 10).queueUrl();
    final TestLake lake = new TestLake();
    final PostgresDatabase db;
    final Path dir;
    /** The dedupe's settings for the next {@link #start}. */
    DedupeSettings dedupe = DedupeSettings.DEFAULTS;
    private LakePipeline pipeline;

    LakeSqsHarness(PostgresDatabase db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    /**
     * Files close a second after their first event. A claim lapses 10 s after a crash, so redeliveries come within
     * the test, but not while a slow-starting worker JVM holds them: a copy redelivered while its original is in an
     * open file is acknowledged at once today (issue 11 #1, DedupingSink), which a crash then turns into a loss.
     */
    static LakeSettings settings(String queue, String bucket, Path work) {
        return settings(queue, bucket, work, DedupeSettings.DEFAULTS);
    }

    static LakeSettings settings(String queue, String bucket, Path work, DedupeSettings dedupe) {
        return new LakeSettings(LakeSettings.SourceKind.SQS, null,
                new SqsSourceSettings(queue, Duration.ofSeconds(1), 10, Duration.ofSeconds(10)), bucket,
                new LakeFileSettings(null, null, Duration.ofSeconds(1), 20, 1024L * 1024, null),
                dedupe, null, work, QUICK);
    }

    LakePipeline start() throws Exception {
        return start(lake.s3);
    }

    LakePipeline start(S3Client s3) throws Exception {
        LakeSettings settings = settings(queue, lake.bucket, dir.resolve("work"), dedupe);
        pipeline = LakePipeline.create(settings, SqsSource.connect(sqs, settings.queue()), s3, db,
                new LakeErrorSink(db.dataSource()), new SimpleMeterRegistry(), Clock.systemUTC());
        pipeline.runner().start();
        return pipeline;
    }

    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.runner().stop();
            pipeline.close();
            pipeline = null;
        }
    }

    void send(List<String> bodies) {
        SqsBatchSender.send(sqs, queueUrl, bodies);
    }

    /** Waits until the queue is empty (every message stored or rejected, and deleted) and nothing is in flight. */
    void awaitDrained() {
        await().atMost(Duration.ofSeconds(60)).until(() -> SqsSource.approximateDepth(sqs, queueUrl) == 0
                && pipeline.runner().inFlight() == 0);
    }

    /** Every event_uuid in the lake, once per row, as a reader of all objects sees them. */
    List<String> lakeIds() throws Exception {
        LakeMirror mirror = new LakeMirror(lake.s3, lake.bucket, TestLake.PREFIX, new CompactionLog(db.dataSource()),
                dir.resolve("cache"));
        return new LakeQuery(mirror.sync().root()).run("SELECT event_uuid FROM events").rows().stream()
                .map(r -> (String) r.get(0)).toList();
    }

    /** (reason, raw_body) of every reject, by id. */
    List<List<String>> errors() throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT reason, raw_body FROM lake_errors ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(List.of(rs.getString(1), rs.getString(2)));
            }
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        stop();
        sqs.close();
    }
}
