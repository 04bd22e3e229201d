package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import dev.sluice.server.testing.DashboardPage;
import dev.sluice.server.testing.TestChromium;
import dev.sluice.core.pipeline.Panel;
import dev.sluice.server.testing.ChartsPage;
import dev.sluice.server.testing.ChartsPage.Report;
import dev.sluice.server.testing.ChartsPage.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The charts page in headless Chromium against a real server with its real token check and panels API, over read
 * routes serving numbers set by the test (the daily_counts routes, their S3 reader and the job are tested in
 * sluice-pipelines). The pipeline is one the user named: the page finds its routes through its panel.
 */
class ChartsPageTest {

    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> EVENTS = List.of("submission_success", "registration_initiated", "another_event");

    private final ApiToken token = ApiToken.generate();
    private static final String PIPELINE = "signups";
    private static final String PATH = "/api/signups/charts";

    private final CannedDailyCounts reports = new CannedDailyCounts(PATH, EVENTS)
            .put("submission_success", 7, 3)
            .put("registration_initiated", 30, 11);
    private ApiServer server;
    private ApiClient client;
    private TestChromium browser;
    private ChartsPage page;

    @BeforeEach
    void start() {
        Map<String, List<Panel>> panels = new LinkedHashMap<>();
        panels.put("logins", List.of());
        panels.put(PIPELINE, List.of(new Panel("daily_counts", "Daily counts", PATH)));
        server = ApiServer.builder().token(token).routes(new DashboardRoutes()).routes(new PluginRoutes(reports.routes()))
                .routes(new PanelsApi(() -> panels))
                .routes(new CannedStatus(CannedStatus.status("2026-11-22T17:00:00Z", List.of()))).start();
        client = new ApiClient(server, token);
        browser = TestChromium.start();
        page = new ChartsPage(browser.driver(), server.url()).open(PIPELINE);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void showsEachChartAndATableWithTheNumbersOfTheApi() {
        page.login().signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> {
            assertThat(page.events()).containsExactlyElementsOf(EVENTS);
            for (String event : List.of("submission_success", "registration_initiated")) {
                Report report = page.reportOf(event);
                assertThat(report.chartSrc()).as(event).startsWith("blob:");
                assertThat(report.chartWidth()).as(event + ": the browser decoded the chart").isEqualTo(400);
                assertThat(report.rows()).as(event).isEqualTo(rowsOfTheApi(event));
            }
        });
        assertThat(page.reportOf("registration_initiated").rows()).hasSize(30);
        Report none = page.reportOf("another_event");
        assertThat(none.generated()).contains("No chart yet");
        assertThat(none.rows()).isEmpty();
        assertThat(none.chartWidth()).isZero();
        browser.screenshot(Path.of("target", "screenshots", "charts.png"));
    }

    @Test
    void aNewDrawingReplacesTheShownOne() {
        page.login().signIn(token.value());
        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.reportOf("submission_success").rows()).hasSize(7));

        reports.put("another_event", 3, 5);
        page.open(PIPELINE); // the page looks again every minute; a reload asks now, without asking for the token again

        await().atMost(PAGE).untilAsserted(() -> {
            Report report = page.reportOf("another_event");
            assertThat(report.chartWidth()).isEqualTo(400);
            assertThat(report.rows()).isEqualTo(rowsOfTheApi("another_event"));
        });
    }

    @Test
    void aWrongTokenBringsTheFormBack() {
        DashboardPage login = page.login();
        login.signIn(token.value() + "-wrong");

        await().atMost(PAGE).untilAsserted(() -> {
            assertThat(login.loginShown()).isTrue();
            assertThat(login.loginMessage()).contains("refused");
        });
        assertThat(page.events()).isEmpty();
        assertThat(login.dashboardShown()).isFalse();
    }

    @Test
    void theDashboardSummarisesTheChartsAndLinksToThem() {
        DashboardPage dashboard = new DashboardPage(browser.driver(), server.url()).open();
        dashboard.signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(dashboard.panel(PIPELINE, "daily_counts")
                .findElements(By.cssSelector("[data-testid='daily-counts-event']")))
                .extracting(e -> e.getText().split(":")[0])
                .containsExactlyElementsOf(EVENTS));
        assertThat(dashboard.panels()).containsExactly(PIPELINE + "/daily_counts");
        assertThat(dashboard.panel(PIPELINE, "daily_counts").getText()).contains("no chart yet");

        dashboard.panel(PIPELINE, "daily_counts").findElement(By.cssSelector("[data-testid='charts-link']")).click();
        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.reportOf("submission_success").rows()).isEqualTo(rowsOfTheApi("submission_success")));
        assertThat(page.title()).isEqualTo(PIPELINE + ": events per UTC day");
        assertThat(page.login().loginShown()).as("the token is shared by both pages").isFalse();
    }

    @Test
    void withoutAPipelineNamedThePageShowsTheOnlyOneWithCharts() {
        page.open(null).login().signIn(token.value());

        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.reportOf("submission_success").rows()).isEqualTo(rowsOfTheApi("submission_success")));
        assertThat(page.title()).isEqualTo(PIPELINE + ": events per UTC day");
    }

    @Test
    void aPipelineWithoutChartsOffersThoseWithCharts() {
        String hostile = "<b data-testid=injected>x</b>";
        page.open(hostile).login().signIn(token.value());

        await().atMost(PAGE).untilAsserted(() -> assertThat(page.choices()).containsExactly(PIPELINE));
        assertThat(page.message()).isEqualTo("No running pipeline named " + hostile + " draws daily counts. Choose one:");
        assertThat(page.events()).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid='injected']"))).isEmpty();
    }

    /** The rows the page must show for {@code event}: the API's numbers, newest day first, with their sum. */
    private List<Row> rowsOfTheApi(String event) {
        var response = client.get(PATH + "/daily?event=" + event);
        assertThat(response.statusCode()).isEqualTo(200);
        List<Row> rows = new ArrayList<>();
        for (JsonNode d : JSON.readTree(response.body()).get("days")) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String group : List.of("android", "ios", "other")) {
                counts.put(group, d.get(group).asLong());
            }
            rows.add(new Row(d.get("day").asString(), counts, counts.values().stream().mapToLong(Long::longValue).sum()));
        }
        return rows.reversed();
    }
}
