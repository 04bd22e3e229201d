package dev.sluice.pipelines.examples;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.pipelines.examples.ClicksHarness.Click;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * docs/examples/clicks.yaml as a user runs it: the embedded Kinesis, S3 and PostgreSQL (embedded 17 and the
 * machine's 15), the file read from the repository with only the stream, bucket and timings overridden; the
 * Parquet files read back with DuckDB.
 */
@OnEachPostgres
class ClicksExampleTest {
    private static final String[] COUNTRIES = {"DE", "FR", "US"};
    private static final String[] TARGETS = {"button:signup", "link:pricing", "banner"};
    private static final int CLICKS = 600;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final KinesisEmulator KINESIS = new KinesisEmulator();

    @Parameter
    TestDatabase database;

    /** Click {@code i}: on one of three days, in one of three countries; a page on every other click. */
    static String click(int i) {
        Instant at = Instant.parse("2026-12-06T22:00:00Z").plusSeconds(i * 211L);
        return "{\"click_id\": \"click-" + i + "\", \"clicked_at\": \"" + at + "\", \"country\": \""
                + COUNTRIES[i % COUNTRIES.length] + "\", \"target\": \"" + TARGETS[i % TARGETS.length] + "\""
                + (i % 2 == 0 ? ", \"page\": \"/p/" + i + "\"" : "") + ", \"undeclared\": 1}";
    }

    @Test
    void everyClickLandsOnceInItsDayAndCountryAndCopiesAreDropped() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < CLICKS; i++) {
            bodies.add(click(i));
            if (i % 7 == 0) {
                bodies.add(click(i));              // a producer's retry, right after the original
            }
        }
        for (int i = 0; i < CLICKS; i += 5) {
            bodies.add(click(i));                  // copies long after, most in files stored already
        }
        Map<String, String> reasonByBody = new LinkedHashMap<>();
        reasonByBody.put("{\"click_id\": ", "body: not valid JSON");
        reasonByBody.put("{\"click_id\": \"no-country\", \"clicked_at\": \"2026-12-07T10:00:00Z\", "
                + "\"target\": \"banner\"}", "country: required field is missing");
        reasonByBody.put("{\"click_id\": \"bad-time\", \"clicked_at\": \"yesterday\", \"country\": \"DE\", "
                + "\"target\": \"banner\"}", "clicked_at: ");
        reasonByBody.put("{\"clicked_at\": \"2026-12-07T10:00:00Z\", \"country\": \"DE\", \"target\": \"banner\"}",
                "click_id: required field is missing");
        bodies.addAll(reasonByBody.keySet());

        try (ClicksHarness h = new ClicksHarness(database, KINESIS.get())) {
            h.start();
            h.put(bodies);
            h.awaitHandled();

            List<Click> clicks = h.clicks();
            assertThat(clicks).extracting(Click::clickId).doesNotHaveDuplicates().hasSize(CLICKS);
            Map<String, Click> byId = clicks.stream().collect(Collectors.toMap(Click::clickId, Function.identity()));
            for (int i = 0; i < CLICKS; i++) {
                Click stored = byId.get("click-" + i);
                Instant at = Instant.parse("2026-12-06T22:00:00Z").plusSeconds(i * 211L);
                String day = LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
                String country = COUNTRIES[i % COUNTRIES.length];
                assertThat(stored.folders()).as("click %d's partition", i)
                        .isEqualTo("day=" + day + "/country=" + country);
                assertThat(stored.day()).isEqualTo(day);
                assertThat(stored.country()).isEqualTo(country);
                assertThat(stored.target()).isEqualTo(TARGETS[i % TARGETS.length]);
                assertThat(stored.type()).isEqualTo(TARGETS[i % TARGETS.length].split(":")[0]);
                assertThat(stored.page()).isEqualTo(i % 2 == 0 ? "/p/" + i : null);
                assertThat(stored.clickedAtMicros()).isEqualTo(at.getEpochSecond() * 1_000_000);
            }
            assertThat(clicks.stream().map(Click::folders).collect(Collectors.toSet())).as("three days, three countries")
                    .hasSize(9);

            // The partitions route lists one day's folders, what the files in them hold and the day's totals.
            ReadRoute partitions = h.route("/api/clicks/partitions");
            ReadReply reply = partitions.handle(new ReadRequest(Map.of(), Map.of("day", List.of("2026-12-07"))));
            assertThat(reply.status()).isEqualTo(200);
            JsonNode day = JSON.readTree(new String(reply.body(), StandardCharsets.UTF_8));
            assertThat(day.get("day").asString()).isEqualTo("2026-12-07");
            assertThat(day.get("partitions").valueStream().map(p -> p.get("partition").asString()).toList())
                    .containsExactlyInAnyOrder("day=2026-12-07/country=DE", "day=2026-12-07/country=FR",
                            "day=2026-12-07/country=US");
            assertThat(day.get("files").asLong()).isEqualTo(h.keys().stream()
                    .filter(key -> key.startsWith(ClicksHarness.PREFIX + "day=2026-12-07/")).count());
            assertThat(partitions.handle(new ReadRequest(Map.of(), Map.of("day", List.of("yesterday")))).status())
                    .isEqualTo(400);

            List<List<String>> errors = h.query("SELECT raw_body, reason FROM clicks_errors",
                    rs -> List.of(rs.getString(1), rs.getString(2)));
            assertThat(errors).extracting(List::getFirst).containsExactlyInAnyOrderElementsOf(reasonByBody.keySet());
            for (List<String> row : errors) {
                assertThat(row.get(1)).as("the reason of %s", row.getFirst())
                        .startsWith(reasonByBody.get(row.getFirst())).doesNotContain("yesterday", "no-country");
            }
        }
    }

    @Test
    void aReplayOfTheWholeStreamAfterARestartAddsNothing() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < CLICKS; i++) {
            bodies.add(click(i));
        }
        try (ClicksHarness h = new ClicksHarness(database, KINESIS.get())) {
            h.start();
            h.put(bodies);
            h.awaitHandled();
            Map<String, Instant> files = h.lastModified();
            assertThat(h.clicks()).hasSize(CLICKS);
            h.stop();

            // A new process whose checkpoints are gone reads the stream again from its start: every click is one
            // the dedupe remembers, so no file is written again and none is added.
            h.forgetCheckpoints();
            var replay = h.start();
            h.awaitHandled();

            assertThat((long) replay.metrics().receivedCount()).as("the stream was read again").isEqualTo(CLICKS);
            assertThat(h.lastModified()).isEqualTo(files);
            assertThat(h.clicks()).extracting(Click::clickId).doesNotHaveDuplicates().hasSize(CLICKS);
        }
    }

    @Test
    void parquetWithoutASchemaBeforeTheSinkIsRefusedAtItsKeyBeforeAnythingStarts() {
        assertThat(refusal("processors: [{type: parse_json}]")).contains("pipelines.clicks.sink.format: parquet makes"
                + " its columns from the fields a schema declares; put a schema processor before the sink");
    }

    @Test
    void severalWritersAreRefusedAtTheRunnerKeyForAStreamFedFilesSink() {
        assertThat(refusal("runner: {writers: 2}")).matches("(?s).*\\.yaml:\\d+:\\d+: pipelines\\.clicks\\.runner: sink"
                + " type files needs its writes in source order from source type kinesis, which replays in order: set"
                + " receivers: 1 and writers: 1 \\(got 1 and 2\\)");
    }

    /** The error building the example with {@code clicks} (one line of YAML) merged over it; nothing was stored. */
    private String refusal(String clicks) {
        try (ClicksHarness h = new ClicksHarness(database, KINESIS.get())) {
            ConfigException refused = catchThrowableOfType(ConfigException.class,
                    () -> h.start("pipelines:\n  clicks:\n    " + clicks + "\n"));
            assertThat(refused).isNotNull();
            assertThat(h.keys()).isEmpty();
            return refused.getMessage();
        }
    }
}
