package dev.sluice.pipelines.totals;

import dev.sluice.parquet.totals.Aggregation;
import dev.sluice.parquet.totals.TotalsAggregator;
import dev.sluice.parquet.totals.TotalsFiles;

import static dev.sluice.parquet.totals.TotalsFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.redis.FailedFile;
import dev.sluice.redis.RedisPlugins;
import dev.sluice.redis.RedisSettings;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRetention;
import dev.sluice.redis.TotalsStore;
import dev.sluice.redis.testing.OnEachRedis;
import dev.sluice.redis.testing.TestRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * {@code parquet_totals} built from YAML by the assembler and run against real Redis: each file's sums land once,
 * bad files are recorded with their reason and count nothing.
 */
@OnEachRedis
class ParquetTotalsSinkTest {

    private static final Map<String, Class<?>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("player", String.class);
        COLUMNS.put("game", String.class);
        COLUMNS.put("seconds", Long.class);
        COLUMNS.put("kills", Long.class);
    }

    @Parameter
    TestRedisServer server;

    @TempDir
    Path dir;

    private final Catalog catalog = Catalog.of(List.of(() -> List.of(ParquetTotalsSink.PLUGIN), new RedisPlugins(), new LocalFiles()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final String queue = "files-" + UUID.randomUUID();

    @AfterEach
    void forget() {
        LocalFiles.QUEUES.remove(queue);
        LocalFiles.REJECTED.remove("sessions");
    }

    private String yaml(RedisSettings redis, String sink) {
        return """
                redis:
                  url: %s
                  keyPrefix: "%s"
                pipelines:
                  sessions:
                    source: {type: local_files, queue: %s}
                    sink:
                %s
                      fetcher: local
                      workDirectory: %s
                    errors: {type: collect}
                    runner: {batchSize: 1, writers: 1}
                """.formatted(server.url(), redis.keyPrefix(), queue, sink.indent(6).stripTrailing(),
                dir.resolve("work"));
    }

    private AssembledPipeline assemble(String yaml) {
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader,
                Optional.of(loader.read("user.yaml", yaml)));
        Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
        return new PipelineAssembler(catalog, resources).assemble("sessions", definitions.definition("sessions"));
    }

    private Path file(String name, Object[]... rows) throws IOException {
        return TotalsFiles.write(dir.resolve(name), COLUMNS, 2, List.of(rows));
    }

    /** Sends the files through the pipeline and waits until every message is done. */
    private void run(AssembledPipeline pipeline, String... messages) {
        InMemoryQueue source = LocalFiles.QUEUES.get(queue);
        for (String message : messages) {
            source.send(message);
        }
        pipeline.start(new SimpleMeterRegistry(), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(60)).until(() -> source.acknowledgedIds().size() == messages.length);
    }

    private static final String PLAYER_GAME = """
            type: parquet_totals
            groupBy: [player, game]
            sum: [seconds]
            group: player""";

    @Test
    void sumsEachGroupExactlyAndTheSameFileTwiceAddsNothing() throws Exception {
        RedisSettings redis = server.settings();
        Path first = file("a.parquet", row("p1", "chess", 60L, 1L), row("p2", "go", 30L, 0L),
                row("p1", "chess", 40L, 2L), row("p1", "go", 5L, 0L), row("p2", "go", 7L, 3L));
        Path second = file("b.parquet", row("p1", "chess", 1L, 0L), row("p3", "go", 2L, 0L));

        try (AssembledPipeline pipeline = assemble(yaml(redis, PLAYER_GAME))) {
            run(pipeline, "e1 " + first, "e2 " + second, "e1 " + first);
        }

        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "sessions", "player"),
                List.of("seconds"), TotalsRetention.DEFAULTS)) {
            assertThat(store.allGroups()).isEqualTo(Map.of(
                    "p1", Map.of("chess", 101L, "go", 5L, "total", 106L),
                    "p2", Map.of("go", 37L, "total", 37L),
                    "p3", Map.of("go", 2L, "total", 2L)));
            assertThat(store.total()).isEqualTo(145);
            assertThat(store.top(1).users()).containsOnlyKeys("p1");
            assertThat(store.isApplied(TotalsKeys.marker("local", "a.parquet", "e1"))).isTrue();
            assertThat(store.failures()).isEmpty();
        }
        assertThat(LocalFiles.REJECTED.getOrDefault("sessions", List.of())).isEmpty();
    }

    @Test
    void severalSummedColumnsKeepATotalEach() throws Exception {
        RedisSettings redis = server.settings();
        Path file = file("a.parquet", row("p1", "chess", 60L, 1L), row("p1", "go", 5L, 4L), row("p2", "go", 7L, 3L));

        try (AssembledPipeline pipeline = assemble(yaml(redis, """
                type: parquet_totals
                groupBy: [player, game]
                sum: [seconds, kills]
                namespace: games""")) ) {
            run(pipeline, "e1 " + file);
        }

        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "games", "group"),
                List.of("seconds", "kills"), TotalsRetention.DEFAULTS)) {
            assertThat(store.group("p1")).contains(Map.of("seconds:chess", 60L, "seconds:go", 5L, "kills:chess", 1L,
                    "kills:go", 4L, "total:seconds", 65L, "total:kills", 5L));
            assertThat(store.group("p2")).contains(Map.of("seconds:go", 7L, "kills:go", 3L, "total:seconds", 7L,
                    "total:kills", 3L));
            assertThat(store.total()).isEqualTo(72);
            try (var client = server.client()) {
                assertThat(client.get(redis.keyPrefix() + "{games}:total:kills")).isEqualTo("8");
            }
        }
    }

    @Test
    void badFilesAreRecordedWithTheirReasonAndCountNothing() throws Exception {
        RedisSettings redis = server.settings();
        Path good = file("good.parquet", row("p1", "chess", 60L, 1L));
        Path nullSeconds = file("null.parquet", row("p1", "chess", 60L, 1L), row("p2", "go", null, 1L));
        Map<String, Class<?>> noGame = new LinkedHashMap<>(COLUMNS);
        noGame.remove("game");
        Path missingColumn = TotalsFiles.write(dir.resolve("nogame.parquet"), noGame, 10,
                List.<Object[]>of(row("p1", 5L, 1L)));
        Path notParquet = Files.writeString(dir.resolve("text.parquet"), "player,game,seconds\n");
        Path gone = dir.resolve("gone.parquet");

        try (AssembledPipeline pipeline = assemble(yaml(redis, PLAYER_GAME))) {
            run(pipeline, "g1 " + good, "n1 " + nullSeconds, "m1 " + missingColumn, "t1 " + notParquet,
                    "x1 " + gone);
        }

        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "sessions", "player"),
                List.of("seconds"), TotalsRetention.DEFAULTS)) {
            assertThat(store.allGroups()).isEqualTo(Map.of("p1", Map.of("chess", 60L, "total", 60L)));
            assertThat(store.total()).isEqualTo(60);
            assertThat(store.failures()).extracting(FailedFile::key, FailedFile::etag, FailedFile::reason)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("null.parquet", "n1",
                                    "file refused: row 2: seconds is null"),
                            org.assertj.core.groups.Tuple.tuple("nogame.parquet", "m1",
                                    "file refused: column game is missing"),
                            org.assertj.core.groups.Tuple.tuple("text.parquet", "t1",
                                    "file refused: not a Parquet file (magic bytes missing)"),
                            org.assertj.core.groups.Tuple.tuple("gone.parquet", "x1",
                                    "file refused: s3:local/gone.parquet@x1 no longer exists"));
            assertThat(store.isApplied(TotalsKeys.marker("local", "null.parquet", "n1"))).isFalse();
        }
        assertThat(LocalFiles.REJECTED.get("sessions")).extracting(rejected -> rejected.reason())
                .hasSize(4).allSatisfy(reason -> assertThat(reason).startsWith("file refused: "));
        try (var files = Files.list(dir.resolve("work"))) {
            assertThat(files).as("downloads are deleted").isEmpty();
        }
    }

    @Test
    void theSkipRuleLeavesRowsWithNullsOut() throws Exception {
        RedisSettings redis = server.settings();
        Path nullSeconds = file("null.parquet", row("p1", "chess", 60L, 1L), row("p2", "go", null, 1L),
                row(null, "go", 3L, 1L));

        try (AssembledPipeline pipeline = assemble(yaml(redis, PLAYER_GAME + "\nnullRows: skip"))) {
            run(pipeline, "n1 " + nullSeconds);
        }

        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "sessions", "player"),
                List.of("seconds"), TotalsRetention.DEFAULTS)) {
            assertThat(store.allGroups()).isEqualTo(Map.of("p1", Map.of("chess", 60L, "total", 60L)));
            assertThat(store.failures()).isEmpty();
        }
    }

    @Test
    void anEventWithoutAListOfObjectsTheFetcherReadsIsAPermanentFailureThatWritesNothing() throws Exception {
        RedisSettings redis = server.settings();
        TotalsKeys keys = new TotalsKeys(redis.keyPrefix(), "sessions", "player");
        try (TotalsStore store = TotalsStore.open(redis, keys, List.of("seconds"), TotalsRetention.DEFAULTS)) {
            ParquetTotalsSink sink = new ParquetTotalsSink("sessions", "objects", new LocalFiles.Fetcher(),
                    new TotalsAggregator(new Aggregation(List.of("player"), List.of("seconds"), null, null, null,
                            null)), store, dir, new SimpleMeterRegistry(), Clock.systemUTC());
            assertThatThrownBy(() -> sink.write(List.of(delivery(Map.of("objects", "a.parquet")))))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessage("field objects holds no list of objects (String): the source before parquet_totals"
                            + " must emit one, as s3_notifications does");
            assertThatThrownBy(() -> sink.write(List.of(delivery(Map.of("objects", List.of(dir))))))
                    .isInstanceOf(PermanentFailureException.class)
                    .hasMessageStartingWith("field objects holds a ")
                    .hasMessageEndingWith(", not the LocalObject its fetcher reads");
            assertThat(store.allGroups()).isEmpty();
            assertThat(store.failures()).isEmpty();
        }
    }

    private static Delivery<Event> delivery(Map<String, ?> fields) {
        Message message = new Message("body", new SourceCoordinates.Queue("files", "m1", 1), Instant.now(), "r1");
        return new Delivery<>(message, new Event(message, new FlatRecord(fields)));
    }

    @Test
    void settingsThatBreakARuleStopTheDefinitionAtTheirKey() {
        RedisSettings redis = server.settings();
        assertThatThrownBy(() -> assemble(yaml(redis, """
                type: parquet_totals
                groupBy: [player]
                sum: [player]""")))
                .hasMessageContaining("sum: column player is also in groupBy");
        assertThatThrownBy(() -> assemble(yaml(redis, """
                type: parquet_totals
                groupBy: [player]
                sum: [seconds]
                namespace: "Bad Name\"""")))
                .hasMessageContaining("namespace must be 1 to 64 lower-case letters");
        assertThatThrownBy(() -> assemble(yaml(redis, PLAYER_GAME + "\nretention: {doneMarkers: 0s}")))
                .hasMessageContaining("retention.doneMarkers must be at least 1s");
        assertThatThrownBy(() -> assemble(yaml(redis, PLAYER_GAME).replace("fetcher: local", "fetcher: ftp")))
                .hasMessageContaining("fetcher: no ObjectFetcher named 'ftp' (offered: local)");
    }
}
