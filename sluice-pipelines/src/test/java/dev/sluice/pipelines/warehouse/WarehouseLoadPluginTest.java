package dev.sluice.pipelines.warehouse;

import dev.sluice.core.job.JobResult;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.JobStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code warehouse_load} job built from YAML, as {@code sluice load} builds it: its migrations create the tables
 * under the names the settings give (defaults derived from the table), a run loads each raw file once with its
 * ledger row and a bad line into the load errors, a second run loads nothing again; settings that break a rule stop
 * the definition at their file, line and key.
 */
class WarehouseLoadPluginTest {
    private static final Path FIXTURE = Path.of(System.getProperty("sluice.fixtures"), "tracking",
            "sample_events.ndjson");
    @RegisterExtension
    static final JobStack stack = new JobStack();

    private static String config(String bucket, String table, String job) {
        return stack.endpoints() + """
                pipelines:
                  raw_events:
                    source: {type: sqs, queue: raw-events-unused}
                    sink: {type: files, bucket: %s, format: raw_ndjson_gzip}
                    errors: {type: postgres_errors, table: %s_rejects}
                    jobs:
                      - type: warehouse_load
                        every: 5m
                        bucket: %s
                        prefix: raw/
                        table: %s
                        migrations: {location: db/tracking, placeholders: {events: %s}}
                %s
                """.formatted(bucket, table, bucket, table, table, job);
    }

    private static final String COLUMNS = """
                    columns:
                      id: {maxLength: 36}
                      anonymous_id: {maxLength: 36}
                      user_id: {type: integer, nullable: true}
                      context_device_type: {maxLength: 16}
                      context_locale: {maxLength: 5, nullable: true}
                      event: {maxLength: 32}
                      event_text: {maxLength: 64}
                      original_timestamp: {type: timestamptz, nullable: true}
                      timestamp: {type: timestamp}
                      sent_at: {type: timestamp}
                      received_at: {type: timestamp}
            """.stripTrailing();

    @Test
    void loadsEachFileOnceIntoTheDeclaredColumnsWithItsLedgerAndLoadErrors() throws Exception {
        String bucket = "raw-" + UUID.randomUUID().toString().substring(0, 8);
        String table = "events_" + UUID.randomUUID().toString().substring(0, 8).replace('-', '_');
        stack.s3.createBucket(bucket);
        List<String> lines = new ArrayList<>(Files.readAllLines(FIXTURE).stream().filter(l -> !l.isBlank()).toList());
        lines.add(lines.getFirst().replace("\"user_id\":", "\"user_id\":\"not digits\",\"was\":")
                .replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"BAD-1\""));
        try (S3Client s3 = stack.s3.newClient()) {
            s3.putObject(r -> r.bucket(bucket).key("raw/dt=2026-12-07/101500-a.json.gz"),
                    RequestBody.fromBytes(gzip(String.join("\n", lines) + "\n")));
        }
        AssembledPipeline.ScheduledJob load = stack.job(config(bucket, table, COLUMNS), "raw_events",
                "warehouse_load");
        assertThat(load.job().name()).isEqualTo("raw_events-load");
        assertThat(load.schedule().every()).hasMinutes(5);

        JobResult first = load.job().run();
        assertThat(first.skipped()).isFalse();
        assertThat(first.summary()).startsWith("1 files loaded (" + (lines.size() - 1)
                + " rows, 0 duplicates skipped, 1 errors), 0 already loaded");
        assertThat(stack.text("SELECT count(*) FROM " + table)).isEqualTo(Integer.toString(lines.size() - 1));
        assertThat(stack.text("SELECT count(*) FROM " + table + "_loaded_files")).isEqualTo("1");
        assertThat(stack.text("SELECT reason FROM " + table + "_load_errors"))
                .isEqualTo("user_id: expected a digit string or an integer, got a string with other characters");

        assertThat(load.job().run().summary()).startsWith("0 files loaded (0 rows, 0 duplicates skipped,"
                + " 0 errors), 1 already loaded");
        assertThat(stack.text("SELECT count(*) FROM " + table)).isEqualTo(Integer.toString(lines.size() - 1));
    }

    @Test
    void aLengthOnAnIntegerColumnStopsTheDefinitionAtItsKey() {
        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), config("b", "events_x", """
                        columns:
                          user_id: {type: integer, maxLength: 10}
                """))).hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining("pipelines.raw_events.jobs[0].columns.user_id")
                .hasMessageContaining("maxLength is for string columns, not integer");
    }

    @Test
    void anUnknownConversionNamesTheKnownOnes() {
        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), config("b", "events_x", """
                        columns:
                          user_id: {type: bigint}
                """))).hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining("pipelines.raw_events.jobs[0].columns.user_id.type")
                .hasMessageContaining("timestamptz");
    }

    @Test
    void aJobWithoutColumnsIsRefused() {
        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), config("b", "events_x", "")))
                .hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining("pipelines.raw_events.jobs[0]")
                .hasMessageContaining("columns is required");
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
