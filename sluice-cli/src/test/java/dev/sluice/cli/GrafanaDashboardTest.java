package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.core.engine.Runner;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docs/grafana/sluice-dashboard.json} queries only what Sluice exports: every metric name and label in its
 * PromQL is found in a real {@code /metrics} scrape of {@code run}'s registry and API server after both pipelines
 * worked through everything the panels show (rows, a reject, a counted, an already counted and a failed file, a
 * write retried while Redis was down, API requests). A meter renamed in the code fails here instead of leaving an
 * empty panel in someone's Grafana.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD =
            Path.of(System.getProperty("sluice.root"), "docs", "grafana", "sluice-dashboard.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** PromQL words that are not metric names: aggregations, functions called without parentheses, keywords. */
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w:])");
    private static final Pattern SELECTOR = Pattern.compile("\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @Test
    void theDashboardIsAnImportableDashboardOfOnePrometheusInputAndAPipelineVariable() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("uid").asString()).isNotBlank();
        assertThat(dashboard.path("__inputs")).singleElement().satisfies(input -> {
            assertThat(input.path("name").asString()).isEqualTo("DS_PROMETHEUS");
            assertThat(input.path("type").asString()).isEqualTo("datasource");
            assertThat(input.path("pluginId").asString()).isEqualTo("prometheus");
        });
        JsonNode pipeline = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asString().equals("pipeline")) {
                pipeline = variable;
            }
        }
        assertThat(pipeline).as("the pipeline variable").isNotNull();
        assertThat(pipeline.path("query").path("query").asString())
                .isEqualTo("label_values(sluice_messages_received_total, pipeline)");
        assertThat(pipeline.path("datasource").path("uid").asString()).isEqualTo("${DS_PROMETHEUS}");

        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).isNotEmpty();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                assertThat(expr).as(title).isNotBlank();
                assertThat(target.path("refId").asString()).as(title).isNotBlank();
            }
        }
    }

    @Test
    void everyMetricAndLabelTheDashboardQueriesIsInARealScrape(@TempDir Path dir) throws Exception {
        Map<String, List<String>> expressions = expressions(JSON.readTree(DASHBOARD.toFile()));
        assertThat(expressions).isNotEmpty();

        Map<String, Set<String>> scraped = series(scrapeAfterBothPipelinesRan(dir));

        Set<String> queried = new LinkedHashSet<>();
        expressions.forEach((title, exprs) -> exprs.forEach(expr -> {
            Set<String> names = metricNames(expr);
            assertThat(names).as("%s: %s names a metric", title, expr).isNotEmpty();
            Set<String> labels = new HashSet<>();
            for (String name : names) {
                assertThat(scraped).as("%s: %s is in the scrape", title, name).containsKey(name);
                labels.addAll(scraped.get(name));
            }
            assertThat(labels).as("%s: the labels of %s", title, expr).containsAll(labelNames(expr));
            if (labels.contains("pipeline") && title.startsWith("panel ")) {
                assertThat(expr).as("%s keeps to the chosen pipelines", title).contains("pipeline=~\"$pipeline\"");
            }
            queried.addAll(names);
        }));
        // The panels the operations guide promises; a panel lost in an edit fails here too.
        assertThat(queried).contains("sluice_messages_received_total", "sluice_messages_written_total",
                "sluice_messages_rejected_total", "sluice_messages_dropped_total", "sluice_messages_in_flight",
                "sluice_latency_end_to_end_seconds_bucket", "sluice_retries_total", "sluice_claims_extended_total",
                "sluice_source_backlog", "sluice_stages_duration_seconds_bucket",
                "sluice_sink_write_duration_seconds_bucket", "sluice_totals_files_total",
                "sluice_totals_rows_total");
        assertThat(queried).anyMatch(name -> name.startsWith("http_server_requests_seconds"));
    }

    /**
     * Runs both pipelines as {@code sluice run} does, on the embedded stack, with the read API on a free port, until
     * every meter the dashboard shows has something to show; returns what {@code GET /metrics} served.
     */
    private static String scrapeAfterBothPipelinesRan(Path dir) throws Exception {
        try (LocalStack local = LocalStack.start(dir.resolve("stack"))) {
            Map<String, String> env = local.environment();
            ConfigSource.Loaded all = ConfigSource.read(null, env, LocalStack.credentialsYaml());
            SluiceConfig loaded = all.wired();
            // Redis commands give up after 2 s instead of 30, so the outage below turns into a retry quickly.
            SluiceConfig config = new SluiceConfig(local.awsSettings(loaded.aws().region()), loaded.postgres(),
                    loaded.redis().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2)), loaded.keys());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ApiToken token = ApiToken.generate();
            ReadApi api = new ReadApi();
            api.host = "127.0.0.1";
            api.port = 0;
            try (RunningPipelines running = RunningPipelines.start(all.withWired(config), all.startedByDefault(), env,
                    registry);
                 ApiServer server = api.start(running, registry, token);
                 PlaytimePublisher publisher = PlaytimePublisher.open(config.aws(), ConfigSource.PLAYTIME_QUEUE);
                 HttpClient http = HttpClient.newHttpClient()) {
                Runner<?> logins = runner(running, "logins");
                Runner<?> playtime = runner(running, "playtime");

                // logins: the fixture's 100 bodies, one of them malformed
                Path fixture = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
                List<String> bodies = Files.readAllLines(fixture).stream().filter(l -> !l.isBlank()).toList();
                try (SqsClient sqs = SqsClients.create(config.aws())) {
                    String url = sqs.getQueueUrl(b -> b.queueName(ConfigSource.LOGINS_QUEUE)).queueUrl();
                    SqsBatchSender.send(sqs, url, bodies);
                }

                // playtime: a file counted, its notification again (already counted), a file that is not Parquet
                String bucket = ConfigSource.PLAYTIME_BUCKET;
                EventDurationFileGenerator generator = new EventDurationFileGenerator(5, 7);
                Path good = generator.write(dir.resolve("good.parquet"), 1_000).file();
                publisher.upload(good, bucket, "scrape/good.parquet");
                publisher.upload(good, bucket, "scrape/good.parquet");
                publisher.upload(Files.writeString(dir.resolve("bad.parquet"), "not parquet"), bucket,
                        "scrape/bad.parquet");
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(logins.metrics().writtenCount()).isEqualTo(bodies.size() - 1);
                    assertThat(logins.metrics().rejectedCount()).isEqualTo(1);
                    assertThat(files(registry, "counted")).isEqualTo(1);
                    assertThat(files(registry, "already_counted")).isEqualTo(1);
                    assertThat(files(registry, "failed")).isPositive();
                });

                // Redis away while a file waits: its write is retried, and counted once Redis is back
                local.stack().redis().stop();
                try {
                    publisher.upload(generator.write(dir.resolve("later.parquet"), 1_000).file(), bucket,
                            "scrape/later.parquet");
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> playtime.metrics().retriedCount() > 0);
                } finally {
                    local.stack().redis().start();
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> files(registry, "counted") == 2);

                URI base = URI.create(server.url());
                HttpResponse<String> totals = http.send(authorized(base.resolve("/api/playtime"), token),
                        BodyHandlers.ofString());
                assertThat(totals.statusCode()).isEqualTo(200);
                HttpResponse<String> scrape = http.send(authorized(base.resolve("/metrics"), token),
                        BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                return scrape.body();
            }
        }
    }

    private static Runner<?> runner(RunningPipelines running, String pipeline) {
        return running.runners().stream().filter(r -> r.pipeline().equals(pipeline)).findFirst().orElseThrow();
    }

    private static double files(MeterRegistry registry, String outcome) {
        return registry.get("sluice.totals.files").tag("pipeline", "playtime").tag("outcome", outcome).counter().count();
    }

    private static HttpRequest authorized(URI uri, ApiToken token) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token.value()).build();
    }

    /** Every panel, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** The PromQL of every panel by title, and of every query variable. */
    private static Map<String, List<String>> expressions(JsonNode dashboard) {
        Map<String, List<String>> expressions = new TreeMap<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                expressions.computeIfAbsent("panel " + panel.path("title").asString(), t -> new ArrayList<>())
                        .add(target.path("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").path("query").asString();
            Matcher labelValues = Pattern.compile("^label_values\\((.+),\\s*\\w+\\)$").matcher(query);
            if (labelValues.matches()) {
                expressions.computeIfAbsent("variable " + variable.path("name").asString(), t -> new ArrayList<>())
                        .add(labelValues.group(1));
            }
        }
        return expressions;
    }

    /** The metric names of a PromQL expression: identifiers outside selectors, ranges, groupings and calls. */
    static Set<String> metricNames(String expr) {
        String bare = GROUPING.matcher(SELECTOR.matcher(expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""))
                .replaceAll("")).replaceAll("").replaceAll("\\[[^]]*]", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group(1);
            boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !PROMQL_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** The label names an expression matches on or groups by. */
    static Set<String> labelNames(String expr) {
        Set<String> labels = new HashSet<>();
        Matcher selector = SELECTOR.matcher(expr);
        while (selector.find()) {
            Matcher label = MATCHER_LABEL.matcher(selector.group(1).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    /** Sample names of a Prometheus text scrape, each with the label names its series carry. */
    private static Map<String, Set<String>> series(String scrape) {
        Map<String, Set<String>> series = new TreeMap<>();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = series.computeIfAbsent(sample.group(1), n -> new HashSet<>());
            if (sample.group(2) != null) {
                Matcher label = SAMPLE_LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return series;
    }
}
