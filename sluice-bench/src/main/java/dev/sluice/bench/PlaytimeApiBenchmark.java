package dev.sluice.bench;

import dev.sluice.local.EmbeddedRedis;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRetention;
import dev.sluice.redis.TotalsRoutesSettings;
import dev.sluice.redis.TotalsStore;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * The playtime read API benchmark: how fast {@code GET /api/playtime} and {@code GET /api/playtime/users/{id}}
 * answer from the playtime definition's {@code totals} routes (their snapshot) under concurrent clients. Target: p99 &lt; 5 ms with 50 clients.
 *
 * <p>Per user count (10, the demo's size, and 10,000): one file of that many users (3 event types, seeded random
 * seconds) is counted into an embedded Redis 6.2 (its append-only file in a temp directory, deleted afterwards), an
 * {@link ApiServer} with the API's default cache (max age 1 s) is started on 127.0.0.1, and for each client count
 * and endpoint {@link HttpLoad} runs that many closed-loop clients for a warm-up, then a measured window. Latencies
 * are exact (every request of the window, nearest rank). The server, Redis and the clients share the machine and,
 * except Redis, this JVM: the numbers include the clients' own CPU and GC.
 *
 * <p>Each combination runs twice by default: closed loop (every client sends its next request as soon as the last
 * one was answered: the throughput limit) and paced at 500 requests/s in all (each of 50 clients 10 a second, like
 * dashboards polling), latency counted from when each request was due; see {@link HttpLoad}.
 *
 * <p>Usage: {@code playtime-api [--users 10,10000] [--clients 50] [--rates 0,500] [--warmup-seconds 5]
 * [--seconds 20] [--max-age-ms 1000] [--gzip false]}; a rate of 0 is the closed loop; {@code --gzip true} makes the
 * clients accept gzip, which the API serves pre-compressed. When {@code wrk} is on the {@code PATH}, each user count
 * is also measured with it (closed loop, as many connections as clients), see {@link WrkRun}.
 */
final class PlaytimeApiBenchmark {

    static final String NAME = "playtime-api";

    private static final double TARGET_P99_MS = 5.0;
    private static final List<String> EVENT_TYPES = List.of("battle", "menu", "roadside");
    private static final String ALL = "/api/playtime";
    private static final String ONE = "/api/playtime/users/{id}";

    record Row(int users, String endpoint, int clients, int perSecond, int bodyBytes, HttpLoad.Result result,
               long refreshes, double refreshMeanMillis, long gcCount, long gcMillis, String loadAverage,
               String cpu) {

        String shape() {
            return perSecond == 0 ? "closed loop" : String.format(Locale.ROOT, "paced %,d/s", perSecond);
        }
    }

    record WrkRow(int users, String endpoint, int clients, WrkRun.Result result, String loadAverage, String cpu) {
    }

    private final List<Integer> clientCounts;
    private final List<Integer> rates;
    private final Duration warmUp;
    private final Duration measured;
    private final Duration maxAge;
    private final boolean gzip;
    private final ApiToken token = ApiToken.generate();
    private final Optional<Path> wrk = WrkRun.find();
    private final List<WrkRow> wrkRows = new ArrayList<>();

    private PlaytimeApiBenchmark(Options options) {
        this.clientCounts = wholeNumbers(options.value("clients", "50"));
        this.rates = wholeNumbers(options.value("rates", "0,500"));
        this.warmUp = Duration.ofSeconds(options.intValue("warmup-seconds", 5));
        this.measured = Duration.ofSeconds(options.intValue("seconds", 20));
        this.maxAge = Duration.ofMillis(options.intValue("max-age-ms", 1_000));
        this.gzip = Boolean.parseBoolean(options.value("gzip", "false"));
    }

    static void run(Options options) throws IOException {
        PlaytimeApiBenchmark bench = new PlaytimeApiBenchmark(options);
        List<Integer> userCounts = wholeNumbers(options.value("users", "10,10000"));
        say("# Sluice playtime read API benchmark, "
                + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        say(MachineFacts.describe());
        say("Settings: users " + userCounts + ", clients " + bench.clientCounts + ", rates " + bench.rates
                + " req/s (0: closed loop), warm-up " + bench.warmUp + ", measured " + bench.measured
                + ", cache max age " + bench.maxAge + ", gzip " + bench.gzip + "; JVM max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB; wrk "
                + bench.wrk.map(Path::toString).orElse("not on the PATH"));
        Path base = Files.createTempDirectory("sluice-bench-api-");
        List<Row> rows = new ArrayList<>();
        try (EmbeddedRedis redis = EmbeddedRedis.start(base.resolve("redis"))) {
            for (int users : userCounts) {
                rows.addAll(bench.scenario(redis.url(), users));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            try (Stream<Path> paths = Files.walk(base)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        say(table(rows));
        if (!bench.wrkRows.isEmpty()) {
            say(wrkTable(bench.wrkRows));
        }
    }

    private List<Row> scenario(String redisUrl, int users) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        String prefix = "sluice-bench:" + users + ":";
        try (TotalsStore store = TotalsStore.open(new RedisSettings(redisUrl).withKeyPrefix(prefix),
                new TotalsKeys(prefix, "playtime", "user"), List.of("EventDuration"), TotalsRetention.DEFAULTS)) {
            try {
                store.applyFile("bench/playtime-" + users + ".parquet@1", demoFile(users));
            } catch (PermanentFailureException e) {
                throw new IllegalStateException("could not count the benchmark's file: " + e.getMessage(), e);
            }
            say(String.format(Locale.ROOT, "%,d users: first page read from Redis, median of 5: %.1f ms", users,
                    snapshotMillis(store)));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // The shipped playtime definition's routes, alone: what `sluice run playtime` serves.
            ConfigLoader loader = new ConfigLoader(Map.of());
            Catalog catalog = Catalog.load();
            PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader, Optional.of(loader.read(
                    "bench.yaml", "redis: {url: \"" + redisUrl + "\", keyPrefix: \"" + prefix + "\"}\n"
                            + "pipelines: {playtime: {routes: [{id: api, snapshot: {maxAge: " + maxAge.toMillis()
                            + "ms}}]}}\n")));
            List<AutoCloseable> closeAtEnd = new ArrayList<>();
            try (Resources resources = new Resources(catalog, definitions.root(), Map.of(), registry,
                    java.time.Clock.systemUTC());
                 ApiServer server = ApiServer.builder().token(token).metrics(registry)
                    .routes(new PluginRoutes(new PipelineAssembler(catalog, resources).routes("playtime",
                            definitions.definition("playtime"), closeAtEnd)))
                    .start()) {
                HttpRequest all = request(server, ALL);
                List<HttpRequest> byUser = new ArrayList<>(users);
                for (int i = 1; i <= users; i++) {
                    byUser.add(request(server, "/api/playtime/users/user_" + i));
                }
                Map<String, LongFunction<HttpRequest>> endpoints = new LinkedHashMap<>();
                endpoints.put(ALL, n -> all);
                endpoints.put(ONE, n -> byUser.get((int) (n % users)));
                for (int clients : clientCounts) {
                    for (int perSecond : rates) {
                        for (Map.Entry<String, LongFunction<HttpRequest>> endpoint : endpoints.entrySet()) {
                            Row row = measure(registry, users, endpoint.getKey(), clients, perSecond,
                                    endpoint.getValue());
                            rows.add(row);
                            say(String.format(Locale.ROOT, "%,d users, %s, %d clients, %s: %,.0f req/s, p50 %.2f ms, "
                                            + "p99 %.2f ms, max %.1f ms, %d errors", users, row.endpoint(), clients,
                                    row.shape(), row.result().perSecond(), row.result().millis(0.50),
                                    row.result().millis(0.99), row.result().millis(1.0), row.result().errors()));
                        }
                    }
                    if (wrk.isPresent()) {
                        compareWithWrk(wrk.get(), server, users, clients);
                    }
                }
            } finally {
                for (AutoCloseable routePart : closeAtEnd.reversed()) {
                    try {
                        routePart.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not close the routes' store", e);
                    }
                }
            }
        }
        return rows;
    }

    private Row measure(PrometheusMeterRegistry registry, int users, String endpoint, int clients, int perSecond,
                        LongFunction<HttpRequest> requests) throws InterruptedException {
        int bodyBytes = bodyBytes(requests.apply(0));
        Timer refreshes = registry.find("sluice.totals.snapshot.reads").tag("pipeline", "playtime")
                .tag("outcome", "success").timer();
        long refreshesBefore = refreshes.count();
        double refreshMillisBefore = refreshes.totalTime(TimeUnit.MILLISECONDS);
        long[] gcBefore = gc();
        String loadAverage = MachineFacts.loadAverage();
        CpuShare cpuBefore = CpuShare.now();

        HttpLoad.Result result = HttpLoad.run(clients, perSecond, warmUp, measured, requests);

        String cpu = CpuShare.now().since(cpuBefore);
        long[] gcAfter = gc();
        long refreshCount = refreshes.count() - refreshesBefore;
        double refreshMean = refreshCount == 0 ? Double.NaN
                : (refreshes.totalTime(TimeUnit.MILLISECONDS) - refreshMillisBefore) / refreshCount;
        return new Row(users, endpoint, clients, perSecond, bodyBytes, result, refreshCount, refreshMean,
                gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], loadAverage, cpu);
    }

    /** wrk closed loop on both endpoints, after a warm-up run of its own; one user id for the per-user route. */
    private void compareWithWrk(Path wrk, ApiServer server, int users, int clients) throws InterruptedException {
        for (String path : List.of(ALL, "/api/playtime/users/user_1")) {
            String url = server.url() + path;
            WrkRun.run(wrk, url, "Bearer " + token.value(), clients, warmUp);
            String loadAverage = MachineFacts.loadAverage();
            CpuShare before = CpuShare.now();
            WrkRun.Result result = WrkRun.run(wrk, url, "Bearer " + token.value(), clients, measured);
            wrkRows.add(new WrkRow(users, path, clients, result, loadAverage, CpuShare.now().since(before)));
            say(String.format(Locale.ROOT, "%,d users, %s, %d connections, wrk: %,.0f req/s, p50 %.2f ms, "
                    + "p99 %.2f ms, max %.1f ms", users, path, clients, result.perSecond(), result.p50(),
                    result.p99(), result.max()));
        }
    }

    private HttpRequest request(ApiServer server, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token.value())
                .timeout(Duration.ofSeconds(30));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return request.build();
    }

    /** Also checks that the request answers 200 before it is measured. */
    private static int bodyBytes(HttpRequest request) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode());
            }
            return response.body().length;
        } catch (IOException e) {
            throw new IllegalStateException("the API does not answer " + request.uri().getPath(), e);
        }
    }

    /** The demo's shape: every user played each event type for 1 s to 1 h; seeded, so every run counts the same. */
    private static Map<String, Map<String, long[]>> demoFile(int users) {
        Random random = new Random(users);
        Map<String, Map<String, long[]>> deltas = new LinkedHashMap<>();
        for (int i = 1; i <= users; i++) {
            Map<String, long[]> seconds = new LinkedHashMap<>();
            for (String type : EVENT_TYPES) {
                seconds.put(type, new long[] {1L + random.nextInt(3_600)});
            }
            deltas.put("user_" + i, seconds);
        }
        return deltas;
    }

    /** What one cache refresh costs in Redis: the median of 5 reads of the first page. */
    private static double snapshotMillis(TotalsStore store) {
        double[] millis = new double[5];
        for (int i = 0; i < millis.length; i++) {
            long started = System.nanoTime();
            store.groups(null, TotalsRoutesSettings.DEFAULT_PAGE_SIZE);
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }

    /** Collections and ms spent in them so far, over every collector. */
    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[]{count, millis};
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("\n| users | endpoint | clients | shape | body bytes | requests | req/s "
                + "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | cache refreshes (mean ms) | GC count / ms "
                + "| load avg (1/5/15) | cores busy: machine / JVM | p99 < " + (int) TARGET_P99_MS + " ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            HttpLoad.Result r = row.result();
            out.append(String.format(Locale.ROOT, "| %,d | `%s` | %d | %s | %,d | %,d | %,.0f | %.2f | %.2f | %.2f "
                            + "| %.2f | %.1f | %d | %d (%.0f) | %d / %d | %s | %s | %s |%n", row.users(),
                    row.endpoint(), row.clients(), row.shape(), row.bodyBytes(), r.sortedNanos().length,
                    r.perSecond(), r.millis(0.50), r.millis(0.90), r.millis(0.99), r.millis(0.999), r.millis(1.0),
                    r.errors(), row.refreshes(), row.refreshMeanMillis(), row.gcCount(), row.gcMillis(),
                    row.loadAverage(), row.cpu(),
                    r.millis(0.99) < TARGET_P99_MS ? "met" : "MISSED"));
        }
        return out.toString();
    }

    static String wrkTable(List<WrkRow> rows) {
        StringBuilder out = new StringBuilder("\n| users | path (wrk, closed loop, 2 threads) | connections | req/s "
                + "| p50 ms | p90 ms | p99 ms | max ms | non-2xx | load avg (1/5/15) | cores busy: machine / JVM |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (WrkRow row : rows) {
            WrkRun.Result r = row.result();
            out.append(String.format(Locale.ROOT,
                    "| %,d | `%s` | %d | %,.0f | %.2f | %.2f | %.2f | %.1f | %d | %s | %s |%n", row.users(),
                    row.endpoint(), row.clients(), r.perSecond(), r.p50(), r.p90(), r.p99(), r.max(),
                    r.errors(), row.loadAverage(), row.cpu()));
        }
        return out.toString();
    }

    private static List<Integer> wholeNumbers(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).map(v -> Integer.parseInt(v.replace("_", "")))
                .toList();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
