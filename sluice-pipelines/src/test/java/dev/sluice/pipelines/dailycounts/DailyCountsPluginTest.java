package dev.sluice.pipelines.dailycounts;

import dev.sluice.core.job.JobResult;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.JobStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code daily_counts} job built from YAML over a table that is not the tracking one: counts of one event per UTC
 * day and the named groups of a field (any other value, null included, as other), stored as chart and numbers under
 * the prefix; settings that break a rule stop the definition at their file, line and key.
 */
class DailyCountsPluginTest {
    @RegisterExtension
    static final JobStack stack = new JobStack();

    private static String config(String bucket, String table, String extra) {
        return stack.endpoints() + """
                pipelines:
                  clicks:
                    source: {type: sqs, queue: clicks-unused}
                    sink: {type: files, bucket: %s}
                    errors: {type: postgres_errors, table: clicks_rejects}
                    jobs:
                      - type: daily_counts
                        every: 1h
                        bucket: %s
                        prefix: charts/
                        table: %s
                        field: country
                        eventColumn: kind
                        timeColumn: at
                        events: [view]
                %s
                """.formatted(bucket, bucket, table, extra);
    }

    @Test
    void countsEachDayByTheNamedGroupsOfTheFieldAndStoresChartAndNumbers() throws Exception {
        String bucket = "charts-" + UUID.randomUUID().toString().substring(0, 8);
        String table = "clicks_" + UUID.randomUUID().toString().substring(0, 8);
        stack.s3.createBucket(bucket);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        stack.execute("CREATE TABLE " + table + " (kind text, country text, at timestamp)");
        stack.execute("INSERT INTO " + table + " VALUES ('view', 'DE', '" + today + " 01:00'), ('view', 'de', '" + today
                + " 02:00'), ('view', 'fr', '" + today.minusDays(1) + " 23:30'), ('view', 'it', '" + today
                + " 03:00'), ('view', NULL, '" + today + " 04:00'), ('buy', 'de', '" + today + " 05:00')");
        try (S3Client s3 = stack.s3.newClient()) {
            AssembledPipeline.ScheduledJob charts = stack.job(config(bucket, table, "        groups: [de, fr]"),
                    "clicks", "daily_counts");
            assertThat(charts.job().name()).isEqualTo("clicks-charts");

            JobResult result = charts.job().run();
            assertThat(result.summary()).startsWith("1 charts drawn: s3://" + bucket + "/charts/view/");
            List<String> keys = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("charts/view/")).contents()
                    .stream().map(S3Object::key).sorted().toList();
            assertThat(keys).hasSize(2);
            assertThat(keys.get(0)).endsWith(".json");
            assertThat(keys.get(1)).isEqualTo(keys.get(0).replace(".json", ".png"));
            DailyCounts counts = DailyCountsJson.read(s3.getObjectAsBytes(r -> r.bucket(bucket).key(keys.get(0)))
                    .asByteArray());
            assertThat(counts.event()).isEqualTo("view");
            assertThat(counts.groups()).containsExactly("de", "fr", "other");
            assertThat(counts.days()).hasSize(30);
            assertThat(counts.days().getLast().counts()).isEqualTo(Map.of("de", 2L, "fr", 0L, "other", 2L));
            assertThat(counts.days().get(28).counts()).isEqualTo(Map.of("de", 0L, "fr", 1L, "other", 0L));
        }
    }

    @Test
    void aGroupNamedOtherStopsTheDefinitionAtItsKey() {
        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), config("b", "t", "        groups: [de, other]")))
                .hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining("pipelines.clicks.jobs[0]")
                .hasMessageContaining("group 'other' must match [a-z0-9_]+ and not be day or other");
    }

    @Test
    void routesWithAPathOutsideTheApiAreRefusedAtTheirKey() {
        assertThatThrownBy(() -> DefinedPipelines.of(Map.of(), config("b", "t", """
                        groups: [de]
                    routes:
                      - type: daily_counts
                        bucket: b
                        events: [view]
                        path: /charts
                """))).hasMessageStartingWith("test-1.yaml:")
                .hasMessageContaining("pipelines.clicks.routes[0]")
                .hasMessageContaining("path must be /api/ and lower-case segments");
    }
}
