package dev.sluice.pipelines;

import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the tests of job plugins share: an embedded S3 and an embedded Postgres, the {@code aws:} and
 * {@code postgres:} sections pointing at them, and the job of a definition built as {@code sluice load} builds it.
 * Registered as an extension, it closes after the test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final JobStack stack = new JobStack();
 * }</pre>
 */
public final class JobStack implements AutoCloseable, AfterAllCallback {

    public final EmbeddedS3 s3;
    public final TestDatabase database;
    private final List<AutoCloseable> opened = new ArrayList<>();

    public JobStack() {
        try {
            this.s3 = EmbeddedS3.start(Files.createTempDirectory("sluice-job-s3-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.database = TestDatabases.embedded();
    }

    /** The endpoint sections, to start a test's YAML with (the SQS endpoint is never called by a job). */
    public String endpoints() {
        return """
                aws: {region: us-east-1, endpoints: {s3: "%s", sqs: "http://127.0.0.1:1"}, accessKeyId: x, \
                secretAccessKey: x}
                postgres: {url: "%s"}
                """.formatted(s3.endpoint(), database.jdbcUrl());
    }

    /** The job of {@code type} that {@code pipeline} declares in {@code yaml}; closed with this stack. */
    public AssembledPipeline.ScheduledJob job(String yaml, String pipeline, String type) {
        DefinedPipelines defined = DefinedPipelines.of(Map.of(), yaml);
        opened.add(defined);
        return defined.job(pipeline, type, opened);
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of the first row of {@code sql}. */
    public String text(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : opened.reversed()) {
            resource.close();
        }
        database.close();
        s3.close();
    }
}
