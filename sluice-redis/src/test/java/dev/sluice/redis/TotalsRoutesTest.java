package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.core.pipeline.TestPlugins;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.redis.testing.OnEachRedis;
import dev.sluice.redis.testing.TestRedis;
import dev.sluice.redis.testing.TestRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code totals} routes built from YAML, reading what a totals store wrote in real Redis. */
@OnEachRedis
class TotalsRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Parameter
    TestRedisServer server;

    private final Catalog catalog = Catalog.of(List.of(new TestPlugins(), new RedisPlugins()));
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    /** The test catalog's greetings pipeline with these routes. */
    private AssembledPipeline assemble(String url, String prefix, String routes) {
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader, Optional.of(loader.read("user.yaml",
                """
                redis: {url: %s, keyPrefix: "%s"}
                pipelines:
                  greetings:
                    routes:
                %s
                """.formatted(url, prefix, routes.indent(6).stripTrailing()))));
        Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
        return new PipelineAssembler(catalog, resources).assemble("greetings", definitions.definition("greetings"));
    }

    private static ReadReply get(AssembledPipeline pipeline, String path, Map<String, String> parameters,
                                 Map<String, List<String>> query) throws Exception {
        ReadRoute route = pipeline.routes().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
        return route.handle(new ReadRequest(parameters, query));
    }

    private static JsonNode body(ReadReply reply) {
        return JSON.readTree(new String(reply.body(), StandardCharsets.UTF_8));
    }

    @Test
    void servesPagesTheLeaderboardOneGroupAndFailedFiles() throws Exception {
        RedisSettings redis = server.settings();
        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "sessions", "player"),
                List.of("seconds"), TotalsRetention.DEFAULTS)) {
            store.applyFile("b/a.parquet@e1", Map.of(
                    "p2", Map.of("chess", new long[] {5}),
                    "p10", Map.of("chess", new long[] {1}, "go", new long[] {2})));
            store.recordFailure("b", "bad.parquet", "e9", "file refused: row 2: seconds is null",
                    Instant.parse("2026-12-01T10:00:00Z"));
        }
        try (AssembledPipeline pipeline = assemble(server.url(), redis.keyPrefix(), """
                - {type: totals, namespace: sessions, group: player, pageSize: 1}""")) {
            assertThat(pipeline.routes()).extracting(ReadRoute::path).containsExactly("/api/sessions",
                    "/api/sessions/top", "/api/sessions/players/{id}", "/api/sessions/failures");
            assertThat(pipeline.panels()).as("the dashboard's leaderboard, under the default member names")
                    .containsExactly(new Panel("leaderboard", "Top players", "/api/sessions", Map.of("group", "player",
                            "groups", "players", "total", "total", "count", "count")));

            JsonNode first = body(get(pipeline, "/api/sessions", Map.of(), Map.of()));
            assertThat(first.get("total").asLong()).isEqualTo(8);
            assertThat(first.get("players").size()).isBetween(1, 2);
            Map<String, JsonNode> players = new TreeMap<>();
            String next = null;
            do {
                JsonNode page = body(get(pipeline, "/api/sessions", Map.of(),
                        next == null ? Map.of() : Map.of("cursor", List.of(next))));
                page.get("players").properties().forEach(e -> players.put(e.getKey(), e.getValue()));
                next = page.get("next").isNull() ? null : page.get("next").stringValue();
            } while (next != null);
            assertThat(players).containsOnlyKeys("p2", "p10");
            assertThat(players.get("p10").get("go").asLong()).isEqualTo(2);
            assertThat(players.get("p10").get("total").asLong()).isEqualTo(3);

            JsonNode top = body(get(pipeline, "/api/sessions/top", Map.of(), Map.of()));
            assertThat(top.get("players").propertyNames()).containsExactly("p2");
            assertThat(top.get("count").asLong()).isEqualTo(2);

            JsonNode p2 = body(get(pipeline, "/api/sessions/players/{id}", Map.of("id", "p2"), Map.of()));
            assertThat(p2.get("player").stringValue()).isEqualTo("p2");
            assertThat(p2.get("sums").get("chess").asLong()).isEqualTo(5);
            ReadReply unknown = get(pipeline, "/api/sessions/players/{id}", Map.of("id", "secret_p"), Map.of());
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"unknown player\"}");

            JsonNode failures = body(get(pipeline, "/api/sessions/failures", Map.of(), Map.of()));
            assertThat(failures.get("failures").get(0).get("key").stringValue()).isEqualTo("bad.parquet");
            assertThat(failures.get("failures").get(0).get("reason").stringValue())
                    .isEqualTo("file refused: row 2: seconds is null");
        }
    }

    @Test
    void badParametersAre400WithoutEchoingThemAndRedisDownIs503() throws Exception {
        RedisSettings redis = server.settings();
        try (AssembledPipeline pipeline = assemble(server.url(), redis.keyPrefix(), """
                - {type: totals, group: player, path: /api/games}""")) {
            ReadReply limit = get(pipeline, "/api/games", Map.of(), Map.of("limit", List.of("0x9")));
            assertThat(limit.status()).isEqualTo(400);
            assertThat(new String(limit.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"error\":\"limit must be a whole number from 1 to 1000\"}");
            ReadReply cursor = get(pipeline, "/api/games", Map.of(), Map.of("cursor", List.of("secret")));
            assertThat(cursor.status()).isEqualTo(400);
            assertThat(new String(cursor.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
            ReadReply id = get(pipeline, "/api/games/players/{id}", Map.of("id", "a\nb"), Map.of());
            assertThat(id.status()).isEqualTo(400);
        }
        try (AssembledPipeline down = assemble("redis://127.0.0.1:" + TestRedis.freePort(), redis.keyPrefix(), """
                - {type: totals, group: player}""")) {
            ReadReply reply = get(down, "/api/greetings", Map.of(), Map.of());
            assertThat(reply.status()).isEqualTo(503);
            assertThat(new String(reply.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"error\":\"greetings store unavailable\"}");
        }
    }

    @Test
    void namesOfTheirOwnAndTheCursorInAHeaderShapeThePlaytimeDocuments() throws Exception {
        RedisSettings redis = server.settings();
        try (TotalsStore store = TotalsStore.open(redis, new TotalsKeys(redis.keyPrefix(), "greetings", "user"),
                List.of("EventDuration"), TotalsRetention.DEFAULTS)) {
            store.applyFile("b/a.parquet@e1", Map.of(
                    "user_2", Map.of("menu", new long[] {5}),
                    "user_10", Map.of("battle", new long[] {1}, "menu", new long[] {2})));
            store.recordFailure("b", "bad.parquet", "e9", "file refused: row 2: EventType is null",
                    Instant.parse("2026-12-01T10:00:00Z"));
            store.recordReject("sqs:q/m1", "malformed JSON", "{\"Records\":[", Instant.parse("2026-12-01T10:00:01Z"));
        }
        try (AssembledPipeline pipeline = assemble(server.url(), redis.keyPrefix(), """
                - type: totals
                  group: user
                  pageSize: 1
                  names: {groups: users, total: total_playtime, count: users_count, sums: playtime}
                  cursor: header
                  rejects: true""")) {
            assertThat(pipeline.routes()).extracting(ReadRoute::path).containsExactly("/api/greetings",
                    "/api/greetings/top", "/api/greetings/users/{id}", "/api/greetings/failures",
                    "/api/greetings/rejects");
            assertThat(pipeline.panels()).singleElement().satisfies(panel -> {
                assertThat(panel.title()).isEqualTo("Top users");
                assertThat(panel.options()).as("the leaderboard reads the routes' own member names, in order")
                        .containsExactly(Map.entry("group", "user"), Map.entry("groups", "users"),
                                Map.entry("total", "total_playtime"), Map.entry("count", "users_count"));
            });

            ReadReply first = get(pipeline, "/api/greetings", Map.of(), Map.of());
            assertThat(first.headers()).containsEntry("Cache-Control", "no-store")
                    .containsKey(TotalsRoutes.AGE_HEADER).containsKey(TotalsRoutes.NEXT_CURSOR_HEADER)
                    .doesNotContainKey("Content-Encoding");
            // About one user a page, in the order SSCAN gives them; every page the same shape.
            Map<String, String> users = new TreeMap<>();
            ReadReply page = first;
            while (true) {
                assertThat(text(page)).startsWith("{\"users\":{").endsWith("},\"total_playtime\":8}");
                body(page).get("users").properties().forEach(e -> users.put(e.getKey(), e.getValue().toString()));
                String next = page.headers().get(TotalsRoutes.NEXT_CURSOR_HEADER);
                if (next == null) {
                    break;
                }
                page = get(pipeline, "/api/greetings", Map.of(), Map.of("cursor", List.of(next)));
                assertThat(page.headers()).doesNotContainKey(TotalsRoutes.AGE_HEADER);
            }
            assertThat(users).isEqualTo(Map.of("user_2", "{\"menu\":5,\"total\":5}",
                    "user_10", "{\"battle\":1,\"menu\":2,\"total\":3}"));

            ReadReply gzipped = pipeline.routes().getFirst().handle(new ReadRequest(Map.of(), Map.of(),
                    Map.of("Accept-Encoding", "br, gzip")));
            assertThat(gzipped.headers()).containsEntry("Content-Encoding", "gzip");
            assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))
                    .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text(first));

            assertThat(text(get(pipeline, "/api/greetings/top", Map.of(), Map.of("limit", List.of("1")))))
                    .isEqualTo("{\"users\":{\"user_2\":{\"menu\":5,\"total\":5}},\"total_playtime\":8,"
                            + "\"users_count\":2}");
            assertThat(text(get(pipeline, "/api/greetings/users/{id}", Map.of("id", "user_10"), Map.of())))
                    .isEqualTo("{\"user\":\"user_10\",\"playtime\":{\"battle\":1,\"menu\":2,\"total\":3}}");
            assertThat(text(get(pipeline, "/api/greetings/failures", Map.of(), Map.of())))
                    .isEqualTo("[{\"bucket\":\"b\",\"key\":\"bad.parquet\",\"etag\":\"e9\",\"reason\":"
                            + "\"file refused: row 2: EventType is null\",\"time\":\"2026-12-01T10:00:00Z\"}]");
            assertThat(text(get(pipeline, "/api/greetings/rejects", Map.of(), Map.of())))
                    .isEqualTo("[{\"message\":\"sqs:q/m1\",\"reason\":\"malformed JSON\",\"body\":"
                            + "\"{\\\"Records\\\":[\",\"time\":\"2026-12-01T10:00:01Z\"}]");
            ReadReply badCursor = get(pipeline, "/api/greetings/failures", Map.of(), Map.of("cursor", List.of("x")));
            assertThat(text(badCursor))
                    .isEqualTo("{\"error\":\"cursor must be the Sluice-Next-Cursor of a previous page\"}");
        }
    }

    private static String text(ReadReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void settingsThatBreakARuleStopTheDefinitionAtTheirKey() {
        RedisSettings redis = server.settings();
        assertThatThrownBy(() -> assemble(server.url(), redis.keyPrefix(), "- {type: totals, path: /health}"))
                .hasMessageContaining("path must be /api/ and lower-case segments");
        assertThatThrownBy(() -> assemble(server.url(), redis.keyPrefix(), "- {type: totals, pageSize: 0}"))
                .hasMessageContaining("pageSize must be 1 to 10000, was 0");
        assertThatThrownBy(() -> assemble(server.url(), redis.keyPrefix(), "- {type: totals, group: Player}"))
                .hasMessageContaining("group must be 1 to 64 lower-case letters");
    }
}
