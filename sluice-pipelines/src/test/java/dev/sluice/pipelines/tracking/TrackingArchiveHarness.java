package dev.sluice.pipelines.tracking;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.job.Job;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.local.QueueUrls;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.LocalSections;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

import static org.awaitility.Awaitility.await;

/**
 * The shipped tracking definition's archiver on real servers: a fresh queue (with a dead-letter queue) on the JVM's
 * embedded SQS, a fresh bucket on an embedded S3 (the JVM's, or one a test may stop), and a real Postgres for the
 * rejects. The harness's YAML only points the definition at these servers and sets the test's roll limits and
 * timings; the processors, the sink's format and names, the error table and the jobs are the shipped ones (the jobs
 * are scheduled an hour out: the load tests run them on demand).
 */
final class TrackingArchiveHarness implements AutoCloseable {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final EmbeddedS3 S3 = EmbeddedS3.start(temporaryDirectory("sluice-tracking-s3-"));

    /** Quick polls and retries and a short visibility, so redelivery tests take seconds; room for 1,000 events. */
    static final String QUICK_RUNNER = "{receivers: 2, maxInFlight: 1000, batchSize: 100, linger: 10ms, writers: 2,"
            + " backoff: {initial: 50ms, max: 500ms}, stopTimeout: 10s}";

    /** How the test rolls files, and where the open ones are written. */
    record Archive(int maxEvents, long maxBytes, Duration maxAge, Path workDirectory) {
    }

    final String queue = "tracking-" + UUID.randomUUID();
    final String bucket = "tracking-" + UUID.randomUUID().toString().substring(0, 8);
    final SqsClient sqs = SQS.newClient();
    final EmbeddedS3 s3Server;
    final S3Client s3;
    final String queueUrl;
    final String deadLetterQueueUrl;
    final PostgresDatabase db;
    /** The YAML the pipeline runs with, merged over the shipped definition. */
    final String config;
    private final DefinedPipelines defined;
    private AssembledPipeline pipeline;

    TrackingArchiveHarness(PostgresSettings postgres, Archive archive) {
        this(postgres, archive, S3);
    }

    TrackingArchiveHarness(PostgresSettings postgres, Archive archive, EmbeddedS3 s3Server) {
        QueueUrls urls = SQS.createQueueWithDeadLetterQueue(queue, 5);
        this.queueUrl = urls.queueUrl();
        this.deadLetterQueueUrl = urls.deadLetterQueueUrl();
        this.s3Server = s3Server;
        this.s3 = s3Server.newClient();
        s3Server.createBucket(bucket);
        this.db = new PostgresDatabase(postgres);
        this.config = LocalSections.yaml(Map.of("sqs", SQS.endpoint(), "s3", s3Server.endpoint()), postgres.url())
                + """
                pipelines:
                  tracking:
                    source: {queue: %s, waitTime: 1s, maxMessagesPerPoll: 10, visibilityTimeout: 4s}
                    sink:
                      bucket: %s
                      roll: {maxEvents: %d, maxBytes: %d, maxAge: %dms}
                      workDirectory: "%s"
                    runner: %s
                    jobs: [{id: load, bucket: %s, firstRun: 1h}, {id: charts, bucket: %s, firstRun: 1h}]
                    routes: [{id: charts, bucket: %s}]
                """.formatted(queue, bucket, archive.maxEvents(),
                archive.maxBytes(), archive.maxAge().toMillis(), archive.workDirectory(), QUICK_RUNNER, bucket, bucket,
                bucket);
        this.defined = DefinedPipelines.of(Map.of(), shippedDefinition(), config);
    }

    /** The shipped definition file, as the jar holds it. */
    static String shippedDefinition() {
        try (InputStream in = TrackingArchiveHarness.class.getResourceAsStream("/sluice/pipelines/tracking.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped definition written to {@code dir}, for a worker JVM that merges files over it. */
    static Path shippedDefinitionFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("tracking.yaml"), shippedDefinition());
    }

    /** Archive settings for tests: these limits, a fresh work directory. */
    static Archive archive(int maxEvents, long maxBytes, Duration maxAge) {
        return new Archive(maxEvents, maxBytes, maxAge, temporaryDirectory("sluice-raw-work-"));
    }

    /** Builds and starts the pipeline from its definition. */
    Runner<Event> start() {
        pipeline = defined.start("tracking", UnaryOperator.identity());
        return pipeline.runner();
    }

    Runner<Event> runner() {
        return pipeline.runner();
    }

    /** The started pipeline's job named {@code name} ({@code tracking-load}), to run now. */
    Job job(String name) {
        return pipeline.jobs().stream().map(AssembledPipeline.ScheduledJob::job)
                .filter(job -> job.name().equals(name)).findFirst().orElseThrow();
    }

    void send(List<String> bodies) {
        SqsBatchSender.send(sqs, queueUrl, bodies);
    }

    /** Messages on the queue, visible or claimed. */
    long queueDepth() {
        return SqsSource.approximateDepth(sqs, queueUrl);
    }

    /** The bodies on the dead-letter queue, received once each (and hidden for a minute). */
    List<String> deadLettered() {
        List<String> bodies = new ArrayList<>();
        List<Message> got;
        do {
            got = sqs.receiveMessage(r -> r.queueUrl(deadLetterQueueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(60).waitTimeSeconds(0)).messages();
            got.forEach(m -> bodies.add(m.body()));
        } while (!got.isEmpty());
        return bodies;
    }

    /** Waits until the queue and the runner are empty: every message archived or rejected, and deleted. */
    void awaitSettled() {
        await().atMost(Duration.ofSeconds(60)).until(() -> queueDepth() == 0 && runner().inFlight() == 0);
    }

    double filesStored(String reason) {
        return defined.registry().get("sluice.files.stored").tag("pipeline", "tracking").tag("reason", reason)
                .counter().count();
    }

    /** The event ids in the warehouse table, with how often each is there. */
    Map<String, Integer> warehouseIds() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM events"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.merge(rs.getString(1), 1, Integer::sum);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** Every raw file in the bucket, key → its lines, in key order. */
    Map<String, List<String>> rawFiles() {
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            files.put(object.key(), gunzipLines(s3.getObjectAsBytes(r -> r.bucket(bucket).key(object.key()))));
        }
        return files;
    }

    /** Every line of every raw file. */
    List<String> rawLines() {
        return rawFiles().values().stream().flatMap(List::stream).toList();
    }

    private static List<String> gunzipLines(ResponseBytes<GetObjectResponse> object) {
        try (GZIPInputStream in = new GZIPInputStream(object.asInputStream())) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.endsWith("\n")) {
                throw new IllegalStateException("a raw file does not end with a line break");
            }
            return List.of(text.substring(0, text.length() - 1).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rejects table: raw body → reason. */
    Map<String, String> rejects() {
        Map<String, String> rejects = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT raw_body, reason FROM tracking_rejects ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rejects.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rejects;
    }

    /** {@code count} events shaped like the fixture's, alternating its two, each with a new upper-case id. */
    static List<String> events(int count) {
        try {
            List<String> fixture = fixtureLines();
            List<String> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String line = fixture.get(i % fixture.size());
                String id = line.substring(line.indexOf("\"id\"") + 4);
                id = id.substring(id.indexOf('"') + 1);
                id = id.substring(0, id.indexOf('"'));
                events.add(line.replace(id, UUID.randomUUID().toString().toUpperCase()));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the pipeline and drops its tables, so the next harness in the same database starts empty. */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
        defined.close();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS tracking_rejects, events, tracking_loaded_files, tracking_load_errors,"
                    + " tracking_failed_files, sluice_history_events");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        db.close();
        s3.close();
        sqs.close();
    }

    static List<String> fixtureLines() throws IOException {
        Path file = Path.of(System.getProperty("sluice.fixtures"), "tracking", "sample_events.ndjson");
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
