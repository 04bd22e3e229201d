package dev.sluice.pipelines.partitions;

import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.core.pipeline.ReadRoute.ReadRequest;
import dev.sluice.pipelines.partitions.DayPartitions.Partition;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import dev.sluice.server.PluginRoutes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The {@code partitions} route over canned partitions: what the lake's page and the clicks example read. */
class PartitionsRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROUTE = "/api/lake/partitions";
    private static final int MAX = 50;

    /** Today for the route: 2026-11-22. */
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);

    /** The days the route asked for, in order. */
    private final List<LocalDate> daysAsked = new CopyOnWriteArrayList<>();

    private ReadRoute route(List<Partition> partitions) {
        return PartitionsRoutes.route(ROUTE, "lake", day -> {
            daysAsked.add(day);
            return partitions;
        }, MAX, TODAY);
    }

    private static Partition partition(String path, long files, long bytes, String lastModified) {
        return new Partition(path, files, bytes, Instant.parse(lastModified));
    }

    private static ReadReply get(ReadRoute route, String day) throws Exception {
        return route.handle(new ReadRequest(Map.of(), day == null ? Map.of() : Map.of("day", List.of(day))));
    }

    private static JsonNode json(ReadReply reply) {
        return JSON.readTree(new String(reply.body(), StandardCharsets.UTF_8));
    }

    @Test
    void listsThePartitionsNewestFirstWithTheirTotals() throws Exception {
        List<Partition> given = List.of(
                partition("year=2026/month=11/day=21/event_type=account", 2, 300, "2026-11-21T23:59:00Z"),
                partition("year=2026/month=11/day=22/event_type=purchase", 1, 50, "2026-11-22T18:00:00Z"),
                partition("year=2026/month=11/day=22/event_type=account", 4, 1_000, "2026-11-22T17:30:00Z"));

        ReadReply reply = get(route(given), null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode root = json(reply);
        List<Partition> newestFirst = given.stream()
                .sorted(Comparator.comparing(Partition::lastModified).reversed()).toList();
        assertThat(root.get("partitions").valueStream().toList())
                .extracting(p -> p.get("partition").asString(), p -> p.get("files").asLong(),
                        p -> p.get("bytes").asLong(), p -> p.get("lastModified").asString())
                .containsExactlyElementsOf(newestFirst.stream().map(p -> tuple(p.partition(), p.files(), p.bytes(),
                        p.lastModified().toString())).toList());
        assertThat(root.get("files").asLong()).isEqualTo(given.stream().mapToLong(Partition::files).sum());
        assertThat(root.get("bytes").asLong()).isEqualTo(given.stream().mapToLong(Partition::bytes).sum());
    }

    @Test
    void listsAtMostTheNewestPartitionsButCountsAllInTheTotals() throws Exception {
        List<Partition> given = new ArrayList<>();
        for (int day = 1; day <= MAX + 10; day++) {
            given.add(new Partition("year=2026/month=11/day=" + day + "/event_type=a", 1, day,
                    Instant.parse("2026-11-01T00:00:00Z").plus(Duration.ofMinutes(day))));
        }

        JsonNode root = json(get(route(given), null));

        assertThat(root.get("partitions")).hasSize(MAX);
        assertThat(root.get("partitions").get(0).get("partition").asString()).isEqualTo(given.getLast().partition());
        assertThat(root.get("files").asLong()).isEqualTo(given.size());
        assertThat(root.get("bytes").asLong()).isEqualTo(given.stream().mapToLong(Partition::bytes).sum());
    }

    @Test
    void theRouteNeedsTheToken() throws Exception {
        ApiToken token = ApiToken.generate();
        try (ApiServer server = ApiServer.builder().token(token).routes(new PluginRoutes(List.of(route(List.of(
                partition("year=2026/event_type=a", 1, 1, "2026-11-22T18:00:00Z")))))).start();
             HttpClient http = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + ROUTE);
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token.value() + "x").build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token.value()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(none.body()).doesNotContain("event_type");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("event_type=a");
        }
    }

    @Test
    void anUnreadableStoreIs503WithoutTheFailure() throws Exception {
        ReadRoute route = PartitionsRoutes.route(ROUTE, "lake", day -> {
            throw new IllegalStateException("bucket lake: connection refused");
        }, MAX, TODAY);

        ReadReply reply = get(route, null);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(json(reply).get("error").asString()).isEqualTo("lake partitions unavailable");
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).doesNotContain("connection refused");
    }

    @Test
    void asksForOneDayTodayByDefaultAndNamesIt() throws Exception {
        ReadRoute route = route(List.of(
                partition("year=2026/month=11/day=21/event_type=account", 2, 300, "2026-11-21T23:59:00Z")));

        JsonNode today = json(get(route, null));
        JsonNode earlier = json(get(route, "2026-11-21"));
        ReadReply notADay = get(route, "yesterday");

        assertThat(daysAsked).containsExactly(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 21));
        assertThat(today.get("day").asString()).isEqualTo("2026-11-22");
        assertThat(earlier.get("day").asString()).isEqualTo("2026-11-21");
        assertThat(notADay.status()).isEqualTo(400);
        assertThat(new String(notADay.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"day must be a date like 2026-11-22\"}");
    }

    @Test
    void settingsHaveDefaultsAndRefuseWhatCannotWork() {
        PartitionsRoutes.Settings defaults = new PartitionsRoutes.Settings("lake", null, null, null, null, null);
        assertThat(defaults).isEqualTo(new PartitionsRoutes.Settings("lake", "", DayPartitions.HIVE_DAY, null,
                DayPartitions.DEFAULT_READ_CACHE, 50));
        assertThatThrownBy(() -> new PartitionsRoutes.Settings(null, null, null, null, null, null))
                .hasMessageStartingWith("bucket is required");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", "events", null, null, null, null))
                .hasMessageStartingWith("prefix must be empty or end with '/'");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", null, "day={yyyy}-{MM}", null, null, null))
                .hasMessageStartingWith("day must hold each of {yyyy}, {MM} and {dd} once");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", null, "day={yyyy}-{MM}-{dd}/", null, null, null))
                .hasMessageStartingWith("day must be folders separated by single '/'");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", null, null, "/clicks/partitions", null, null))
                .hasMessageStartingWith("path must be under /api/");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", null, null, null, Duration.ofSeconds(-1), null))
                .hasMessageStartingWith("readCache must be zero or more");
        assertThatThrownBy(() -> new PartitionsRoutes.Settings("b", null, null, null, null, 0))
                .hasMessageStartingWith("maxPartitions must be at least 1");
    }
}
