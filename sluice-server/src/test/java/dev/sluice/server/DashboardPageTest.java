package dev.sluice.server;

import dev.sluice.core.pipeline.Panel;
import dev.sluice.core.pipeline.ReadRoute;
import dev.sluice.core.pipeline.ReadRoute.ReadReply;
import dev.sluice.server.testing.DashboardPage;
import dev.sluice.server.testing.DashboardPage.Leaderboard;
import dev.sluice.server.testing.DashboardPage.LeaderboardRow;
import dev.sluice.server.testing.DashboardPage.PipelineCard;
import dev.sluice.server.testing.DashboardPage.RejectRow;
import dev.sluice.server.testing.TestChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.CannedStatus.backlog;
import static dev.sluice.server.CannedStatus.outlined;
import static dev.sluice.server.CannedStatus.pipeline;
import static dev.sluice.server.CannedStatus.reject;
import static dev.sluice.server.CannedStatus.status;
import static dev.sluice.server.CannedStatus.step;
import static dev.sluice.server.CannedStatus.streamBacklog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against a real server: the real page, its real token check and the real
 * panels API, over canned read routes in the plugins' shapes (a totals leaderboard, a day's partitions) and a canned
 * status document in the status API's shape, so the page can be shown every state and hostile strings. The logins pipeline end to end is
 * {@code DashboardEndToEndTest} in sluice-cli.
 */
class DashboardPageTest {

    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final String NOW = "2026-11-22T17:00:00Z";
    private static final String HOSTILE_REASON = "<img src=x data-testid=injected onerror=\"document.title='pwned'\">";
    private static final String HOSTILE_SOURCE = "sqs:login-queue/<b data-testid=injected>1</b>#1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The panel the playtime definition's totals routes contribute (TotalsRoutes.panel). */
    private static final Panel PLAYTIME_PANEL = new Panel("leaderboard", "Top users", "/api/playtime",
            orderedMap("group", "user", "groups", "users", "total", "total_playtime", "count", "users_count"));

    private final ApiToken token = ApiToken.generate();
    private final CannedStatus status = new CannedStatus(status(NOW, List.of(logins(120, 110, 10, List.of()))));
    /** What {@code GET /api/playtime/top} answers, as the playtime definition's routes write it. */
    private String playtimeTop = "{\"users\":{},\"total_playtime\":0,\"users_count\":0}";
    private ApiServer server;
    private TestChromium browser;
    private DashboardPage page;

    private void start(boolean withPlaytime) {
        start(withPlaytime, null);
    }

    /**
     * {@code withPlaytime}: the server serves {@code /api/playtime/top} and lists the leaderboard panel the playtime
     * definition's totals routes contribute. {@code lakeJson} null: no partitions routes; else what the lake's
     * partitions route answers (the route and its order are sluice-pipelines' PartitionsRoutesTest's), with its
     * panel.
     */
    private void start(boolean withPlaytime, String lakeJson) {
        Map<String, List<Panel>> panels = new LinkedHashMap<>();
        ApiServer.Builder builder = ApiServer.builder().token(token).routes(new DashboardRoutes()).routes(status)
                .routes(new PanelsApi(() -> panels));
        if (lakeJson != null) {
            builder.routes(new PluginRoutes(List.of(ReadRoute.of("/api/lake/partitions",
                    request -> ReadReply.json(lakeJson)))));
            panels.put("lake", List.of(new Panel("partitions", "Today's partitions", "/api/lake/partitions",
                    Map.of("maxPartitions", "50"))));
        }
        if (withPlaytime) {
            builder.routes(new PluginRoutes(List.of(ReadRoute.of("/api/playtime/top",
                    request -> ReadReply.json(playtimeTop)))));
            panels.put("playtime", List.of(PLAYTIME_PANEL));
        }
        server = builder.start();
        browser = TestChromium.start();
        page = new DashboardPage(browser.driver(), server.url()).open();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{browser, server}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void asksForTheTokenOnceAndTheBrowserRemembersIt() throws Exception {
        start(false);
        assertThat(page.loginShown()).isTrue();
        assertThat(page.dashboardShown()).isFalse();
        assertThat(page.loginMessage()).isEmpty();

        page.signIn(token.value());
        await().atMost(PAGE).untilAsserted(() -> assertThat(page.pipelineNames()).containsExactly("logins"));
        assertThat(page.loginShown()).isFalse();
        assertThat(page.connection()).startsWith("Live");

        page.open();
        await().atMost(PAGE).untilAsserted(() -> assertThat(page.pipelineNames()).containsExactly("logins"));
        assertThat(page.loginShown()).as("a reload asks no second time").isFalse();

        page.signOut();
        assertThat(page.loginShown()).isTrue();
        assertThat(page.open().loginShown()).as("signed out, the token is forgotten").isTrue();
    }

    @Test
    void aRefusedTokenBringsBackTheFormWithAMessageAndIsForgotten() throws Exception {
        start(false);
        page.signIn(token.value() + "-wrong");

        await().atMost(PAGE).untilAsserted(() -> {
            assertThat(page.loginShown()).isTrue();
            assertThat(page.loginMessage()).contains("refused");
        });
        assertThat(page.dashboardShown()).isFalse();
        assertThat(page.pipelineNames()).isEmpty();
        assertThat(page.open().loginShown()).isTrue();
        assertThat(page.loginMessage()).isEmpty();
    }

    @Test
    void showsEachPipelinesStateCountsBacklogThroughputAndLatestRejects() throws Exception {
        List<Map<String, Object>> throughput = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            throughput.add(step("2026-11-22T16:55:" + String.format("%02d", i) + "Z", i % 7 * 3, i % 5 == 0 ? 1 : 0));
        }
        status.set(status(NOW, List.of(
                outlined(pipeline("logins", "running", "login-queue", new long[]{1_234_567, 1_234_000, 567, 0, 8, 2},
                        null, throughput, backlog(42, 8, 3L), List.of(
                                reject("2026-11-22T16:59:58Z", "user_id: expected a string, got a number",
                                        "sqs:login-queue/abc#1"),
                                reject("2026-11-22T16:59:50Z", "not JSON", "sqs:login-queue/def#2"))),
                        "sqs", List.of("parse_json:parse", "schema:validate", "mask:mask"), "postgres_table",
                        "postgres_errors", List.of("daily_counts:charts"), List.of("totals:api", "partitions")),
                pipeline("playtime", "failing", "playtime-notifications", new long[]{5, 4, 0, 1, 1, 17},
                        "2026-11-22T16:57:55Z", List.of(), null, List.of()),
                pipeline("tracking", "stopped", "tracking-stream", new long[]{5, 5, 0, 0, 0, 0}, null,
                        List.of(step(NOW, 5, 0)), backlog(0, 0, null), List.of()),
                pipeline("lake", "running", "product-events", new long[]{9, 0, 0, 0, 9, 0}, null,
                        List.of(), streamBacklog(120, 9, 1_500), List.of()))));
        start(false);
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.pipelineNames()).containsExactly("logins", "playtime", "tracking", "lake"));
        PipelineCard logins = page.card("logins");
        assertThat(logins.state()).isEqualToIgnoringCase("running");
        assertThat(logins.source()).isEqualTo("login-queue");
        assertThat(logins.failingSince()).isEmpty();
        assertThat(logins.count("count-received")).isEqualTo(1_234_567);
        assertThat(logins.count("count-written")).isEqualTo(1_234_000);
        assertThat(logins.count("count-rejected")).isEqualTo(567);
        assertThat(logins.count("count-in-flight")).isEqualTo(8);
        assertThat(logins.count("count-retries")).isEqualTo(2);
        assertThat(logins.count("backlog-visible")).isEqualTo(42);
        assertThat(logins.count("backlog-dead-letters")).isEqualTo(3);
        assertThat(logins.points()).isEqualTo(30);
        assertThat(logins.outline()).as("what the definition builds, from source to sink")
                .containsExactly("sqs", "parse_json (parse)", "schema (validate)", "mask", "postgres_table");
        assertThat(logins.outlineExtras())
                .isEqualTo("errors to postgres_errors · jobs: daily_counts (charts) · routes: totals (api), partitions");
        assertThat(logins.rejects()).extracting(RejectRow::reason, RejectRow::source).containsExactly(
                tuple("user_id: expected a string, got a number",
                        "sqs:login-queue/abc#1"),
                tuple("not JSON", "sqs:login-queue/def#2"));
        assertThat(logins.rejects()).allSatisfy(r -> assertThat(r.time()).matches("(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d"));
        assertThat(browser.driver().findElement(By.cssSelector("[data-pipeline='logins'] [data-testid='count-received']"))
                .getText()).as("counts are shown grouped").isEqualTo("1,234,567");

        PipelineCard playtime = page.card("playtime");
        assertThat(playtime.state()).isEqualToIgnoringCase("failing");
        assertThat(playtime.failingSince()).startsWith("failing since").contains("(for 2 min 5 s)");
        assertThat(playtime.values()).as("the source cannot tell its backlog")
                .containsEntry("backlog-visible", "").containsEntry("backlog-dead-letters", "");
        assertThat(playtime.points()).isZero();
        assertThat(playtime.rejects()).isEmpty();
        assertThat(playtime.outline()).as("no outline for a pipeline the server has none of").isEmpty();
        PipelineCard tracking = page.card("tracking");
        assertThat(tracking.state()).isEqualToIgnoringCase("stopped");
        assertThat(tracking.values()).as("a queue without a dead-letter queue, and no iterator age")
                .containsEntry("backlog-visible", "0").containsEntry("backlog-dead-letters", "")
                .containsEntry("backlog-behind-latest", "");
        PipelineCard lake = page.card("lake");
        assertThat(lake.count("backlog-visible")).isEqualTo(120);
        assertThat(lake.count("backlog-behind-latest")).as("a stream's iterator age").isEqualTo(1_500);
        assertThat(browser.driver().findElement(By.cssSelector("[data-pipeline='tracking'] polyline.written"))
                .getDomAttribute("points")).as("one step: the last tenth-of-a-minute slot of a 5-minute axis, at peak")
                .isEqualTo("290.0,3.0 300.0,3.0");

        assertThat(page.panels()).as("no pipeline here contributes a panel").isEmpty();
        browser.screenshot(Path.of("target", "screenshots", "dashboard-canned.png"));
    }

    @Test
    void followsTheStatusEveryTwoSeconds() throws Exception {
        start(false);
        page.signIn(token.value());
        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.card("logins").count("count-written")).isEqualTo(110));

        status.set(status(NOW, List.of(logins(300, 280, 20, List.of(
                reject(NOW, "event_time: not an ISO-8601 instant", "sqs:login-queue/xyz#3"))))));

        await().atMost(PAGE).untilAsserted(() -> {
            PipelineCard logins = page.card("logins");
            assertThat(logins.count("count-written")).isEqualTo(280);
            assertThat(logins.count("count-received")).isEqualTo(300);
            assertThat(logins.rejects()).extracting(RejectRow::reason)
                    .containsExactly("event_time: not an ISO-8601 instant");
        });

        status.set(status(NOW, List.of()));
        await().atMost(PAGE).untilAsserted(() -> assertThat(page.pipelineNames()).isEmpty());
        assertThat(page.byTestId("pipelines-message").getText()).contains("No pipeline");
    }

    @Test
    void showsRejectReasonsAndSourcesAsTextNeverAsMarkup() throws Exception {
        status.set(status(NOW, List.of(logins(1, 0, 1, List.of(reject(NOW, HOSTILE_REASON, HOSTILE_SOURCE))))));
        start(false);
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(page.card("logins").rejects())
                .singleElement().satisfies(row -> {
                    assertThat(row.reason()).isEqualTo(HOSTILE_REASON);
                    assertThat(row.source()).isEqualTo(HOSTILE_SOURCE);
                }));
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='injected'], [data-testid='rejects'] img")))
                .isEmpty();
        assertThat(browser.driver().getTitle()).isEqualTo("Sluice");
    }

    @Test
    void ranksThePlaytimeLeadersByTotal() throws Exception {
        // Twelve users, user_i with i * 100 s of battle and i s of menu; the ten largest totals first.
        StringBuilder top = new StringBuilder("{\"users\":{");
        for (long i = 12; i >= 3; i--) {
            top.append(i == 12 ? "" : ",").append("\"user_").append(i).append("\":{\"battle\":").append(i * 100)
                    .append(",\"menu\":").append(i).append(",\"total\":").append(i * 101).append('}');
        }
        playtimeTop = top.append("},\"total_playtime\":").append(101 * 78).append(",\"users_count\":12}").toString();
        start(true);
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> {
            Leaderboard leaderboard = page.leaderboard("playtime");
            assertThat(leaderboard.total()).isEqualTo(101 * 78);
            assertThat(leaderboard.count()).isEqualTo(12);
            assertThat(leaderboard.rows()).hasSize(10)
                    .startsWith(new LeaderboardRow("user_12", 1212), new LeaderboardRow("user_11", 1111))
                    .endsWith(new LeaderboardRow("user_3", 303));
        });
        assertThat(page.panels()).containsExactly("playtime/leaderboard");
        assertThat(page.leaderboard("playtime").title()).isEqualTo("playtime · Top users");
        assertThat(page.leaderboard("playtime").column()).isEqualTo("User");
        assertThat(page.panelText("playtime", "leaderboard", "leaderboard-count")).isEqualTo("12");
    }

    @Test
    void listsTheLakesNewestPartitionsWithTheirSizesAsText() throws Exception {
        String hostile = "year=2026/event_type=<b data-testid=injected>x</b>";
        // Newest first, as the route lists them.
        String partitions = "[" + String.join(",",
                partition("year=2026/month=11/day=22/event_type=purchase", 3, 5 * 1024 * 1024 / 2,
                        "2026-11-22T16:59:00Z"),
                partition(hostile, 1, 3 * 1024, "2026-11-22T12:00:00Z"),
                partition("year=2026/month=11/day=21/event_type=account", 2, 900, "2026-11-21T10:00:00Z")) + "]";
        long files = 3 + 1 + 2;
        start(false, "{\"day\":\"2026-11-22\",\"partitions\":" + partitions + ",\"files\":" + files
                + ",\"bytes\":" + (5 * 1024 * 1024 / 2 + 3 * 1024 + 900) + "}");
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(page.partitions("lake")).hasSize(3));
        assertThat(page.partitions("lake")).extracting(row -> row.subList(0, 3)).containsExactly(
                List.of("year=2026/month=11/day=22/event_type=purchase", "3", "2.5 MB"),
                List.of(hostile, "1", "3.0 KB"),
                List.of("year=2026/month=11/day=21/event_type=account", "2", "900 B"));
        assertThat(page.partitions("lake")).extracting(row -> row.get(3)).allSatisfy(written ->
                assertThat(written).isNotEmpty());
        assertThat(page.panelText("lake", "partitions", "panel-message")).as("hidden").isEmpty();
        assertThat(page.panelText("lake", "partitions", "partitions-totals")).startsWith(files + " files, ");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='injected']"))).isEmpty();
        browser.screenshot(Path.of("target", "screenshots", "dashboard-lake.png"));
    }

    /** One partition as the lake's route writes it. */
    private static String partition(String path, long files, long bytes, String lastModified) {
        return JSON.createObjectNode().put("partition", path).put("files", files).put("bytes", bytes)
                .put("lastModified", lastModified).toString();
    }

    @Test
    void showsNoPanelWhenNoPipelineContributesOne() throws Exception {
        start(false);
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(page.connection()).startsWith("Live"));
        assertThat(page.panels()).isEmpty();
    }

    @Test
    void drawsThePanelsOfAnyPipelineFromWhatItsPluginsListWithTheirNamesAsText() throws Exception {
        // A pipeline the user named, with a leaderboard of players under member names of their own; its name and
        // its title reach the page as text only.
        String hostileName = "<b data-testid=injected>sessions</b>";
        Map<String, List<Panel>> panels = new LinkedHashMap<>();
        panels.put(hostileName, List.of(new Panel("leaderboard", "Top players", "/api/sessions",
                orderedMap("group", "player", "groups", "players", "total", "seconds", "count", "players_count")),
                new Panel("no_such_kind", "Unknown", "/api/sessions/other")));
        server = ApiServer.builder().token(token).routes(new DashboardRoutes()).routes(status)
                .routes(new PanelsApi(() -> panels))
                .routes(new PluginRoutes(List.of(ReadRoute.of("/api/sessions/top", request -> ReadReply.json(
                        "{\"players\":{\"p1\":{\"chess\":3600,\"total\":3640},\"p2\":{\"go\":150,\"total\":150}},"
                                + "\"seconds\":3790,\"players_count\":2}")))))
                .start();
        browser = TestChromium.start();
        page = new DashboardPage(browser.driver(), server.url()).open();
        page.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(page.leaderboard(hostileName).rows()).containsExactly(
                new LeaderboardRow("p1", 3640), new LeaderboardRow("p2", 150)));
        Leaderboard sessions = page.leaderboard(hostileName);
        assertThat(sessions.total()).isEqualTo(3790);
        assertThat(sessions.count()).isEqualTo(2);
        assertThat(sessions.title()).isEqualTo(hostileName + " · Top players");
        assertThat(sessions.column()).isEqualTo("Player");
        assertThat(page.panels()).as("a kind the page does not know is not shown")
                .containsExactly(hostileName + "/leaderboard");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='injected']"))).isEmpty();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> logins(long received, long written, long rejected,
                                              List<Map<String, Object>> rejects) {
        return pipeline("logins", "running", "login-queue", new long[]{received, written, rejected, 0, 0, 0}, null,
                List.of(step("2026-11-22T16:59:50Z", written, rejected)), backlog(3, 0, 1L), rejects);
    }
}
