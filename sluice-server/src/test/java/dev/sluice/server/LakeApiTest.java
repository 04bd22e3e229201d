package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.sluice.server.CannedLakePartitions.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class LakeApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROUTE = "/api/lake/partitions";

    /** Today for the API: 2026-11-22. */
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);

    private final ApiToken token = ApiToken.generate();
    private ApiServer server;
    private ApiClient client;

    private void start(CannedLakePartitions lake) {
        server = ApiServer.builder().token(token).routes(new LakeApi(lake, TODAY)).start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void listsThePartitionsNewestFirstWithTheirTotals() {
        List<LakePartitions.Partition> given = List.of(
                partition("year=2026/month=11/day=21/event_type=account", 2, 300, "2026-11-21T23:59:00Z"),
                partition("year=2026/month=11/day=22/event_type=purchase", 1, 50, "2026-11-22T18:00:00Z"),
                partition("year=2026/month=11/day=22/event_type=account", 4, 1_000, "2026-11-22T17:30:00Z"));
        start(new CannedLakePartitions(given));

        HttpResponse<String> response = client.get(ROUTE);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode root = JSON.readTree(response.body());
        List<LakePartitions.Partition> newestFirst = given.stream()
                .sorted(Comparator.comparing(LakePartitions.Partition::lastModified).reversed()).toList();
        assertThat(root.get("partitions").valueStream().toList())
                .extracting(p -> p.get("partition").asString(), p -> p.get("files").asLong(),
                        p -> p.get("bytes").asLong(), p -> p.get("lastModified").asString())
                .containsExactlyElementsOf(newestFirst.stream().map(p -> tuple(p.partition(), p.files(), p.bytes(),
                        p.lastModified().toString())).toList());
        assertThat(root.get("files").asLong()).isEqualTo(given.stream().mapToLong(LakePartitions.Partition::files).sum());
        assertThat(root.get("bytes").asLong()).isEqualTo(given.stream().mapToLong(LakePartitions.Partition::bytes).sum());
    }

    @Test
    void listsAtMostTheNewestPartitionsButCountsAllInTheTotals() {
        List<LakePartitions.Partition> given = new ArrayList<>();
        for (int day = 1; day <= LakeApi.MAX_PARTITIONS + 10; day++) {
            given.add(new LakePartitions.Partition("year=2026/month=11/day=" + day + "/event_type=a", 1, day,
                    Instant.parse("2026-11-01T00:00:00Z").plus(Duration.ofMinutes(day))));
        }
        start(new CannedLakePartitions(given));

        JsonNode root = JSON.readTree(client.get(ROUTE).body());

        assertThat(root.get("partitions")).hasSize(LakeApi.MAX_PARTITIONS);
        assertThat(root.get("partitions").get(0).get("partition").asString())
                .isEqualTo(given.getLast().partition());
        assertThat(root.get("files").asLong()).isEqualTo(given.size());
        assertThat(root.get("bytes").asLong()).isEqualTo(given.stream().mapToLong(LakePartitions.Partition::bytes).sum());
    }

    @Test
    void theRouteNeedsTheToken() {
        start(new CannedLakePartitions(List.of(partition("year=2026/event_type=a", 1, 1, "2026-11-22T18:00:00Z"))));

        HttpResponse<String> none = client.get(ROUTE, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(none.body()).doesNotContain("event_type");
        assertThat(client.get(ROUTE, "Bearer " + token.value() + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void anUnreadableLakeIs503() {
        CannedLakePartitions lake = new CannedLakePartitions(List.of());
        lake.failWith(new IllegalStateException("bucket lake: connection refused"));
        start(lake);

        HttpResponse<String> response = client.get(ROUTE);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("lake partitions unavailable");
        assertThat(response.body()).doesNotContain("connection refused");
    }

    @Test
    void asksTheLakeForOneDayTodayByDefaultAndNamesIt() {
        CannedLakePartitions lake = new CannedLakePartitions(List.of(
                partition("year=2026/month=11/day=21/event_type=account", 2, 300, "2026-11-21T23:59:00Z")));
        start(lake);

        JsonNode today = JSON.readTree(client.get(ROUTE).body());
        JsonNode earlier = JSON.readTree(client.get(ROUTE + "?day=2026-11-21").body());
        HttpResponse<String> notADay = client.get(ROUTE + "?day=yesterday");

        assertThat(lake.daysAsked).containsExactly(LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 21));
        assertThat(today.get("day").asString()).isEqualTo("2026-11-22");
        assertThat(earlier.get("day").asString()).isEqualTo("2026-11-21");
        assertThat(notADay.statusCode()).isEqualTo(400);
        assertThat(notADay.body()).isEqualTo("{\"error\":\"day must be a date like 2026-11-22\"}");
    }
}
