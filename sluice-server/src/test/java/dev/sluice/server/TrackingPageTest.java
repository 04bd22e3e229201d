package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import dev.sluice.server.testing.DashboardPage;
import dev.sluice.server.testing.TestChromium;
import dev.sluice.server.testing.TrackingPage;
import dev.sluice.server.testing.TrackingPage.Report;
import dev.sluice.server.testing.TrackingPage.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracking page in headless Chromium against a real server with its real token check and the real tracking API,
 * over reports set by the test (the S3-backed reports and the charts job are tested in sluice-pipelines).
 */
class TrackingPageTest {

    private static final Duration PAGE = Duration.ofSeconds(10);
    private static final List<String> EVENTS = List.of("submission_success", "registration_initiated", "another_event");

    private final ApiToken token = ApiToken.generate();
    private final CannedTrackingReports reports = new CannedTrackingReports(EVENTS)
            .put(CannedTrackingReports.report("submission_success", 7, 3))
            .put(CannedTrackingReports.report("registration_initiated", 30, 11));
    private ApiServer server;
    private ApiClient client;
    private TestChromium browser;
    private TrackingPage page;

    @BeforeEach
    void start() {
        server = ApiServer.builder().token(token).routes(new DashboardRoutes()).routes(new TrackingApi(reports))
                .routes(new CannedStatus(CannedStatus.status("2026-11-22T17:00:00Z", List.of()))).start();
        client = new ApiClient(server, token);
        browser = TestChromium.start();
        page = new TrackingPage(browser.driver(), server.url()).open();
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
        browser.screenshot(Path.of("target", "screenshots", "tracking.png"));
    }

    @Test
    void aNewDrawingReplacesTheShownOne() {
        page.login().signIn(token.value());
        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.reportOf("submission_success").rows()).hasSize(7));

        reports.put(CannedTrackingReports.report("another_event", 3, 5));
        page.open(); // the page looks again every minute; a reload asks now, without asking for the token again

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

        await().atMost(PAGE).untilAsserted(() -> assertThat(browser.driver()
                .findElements(By.cssSelector("[data-testid='tracking-report']")))
                .extracting(e -> e.getText().split(":")[0])
                .containsExactlyElementsOf(EVENTS));
        assertThat(dashboard.byTestId("tracking-summary").getText()).contains("no chart yet");

        dashboard.byTestId("tracking-link").click();
        await().atMost(PAGE).untilAsserted(() ->
                assertThat(page.reportOf("submission_success").rows()).isEqualTo(rowsOfTheApi("submission_success")));
        assertThat(page.login().loginShown()).as("the token is shared by both pages").isFalse();
    }

    /** The rows the page must show for {@code event}: the API's numbers, newest day first, with their sum. */
    private List<Row> rowsOfTheApi(String event) {
        var response = client.get("/api/tracking/daily?event=" + event);
        assertThat(response.statusCode()).isEqualTo(200);
        DailyCounts counts = DailyCountsJson.read(response.body().getBytes(StandardCharsets.UTF_8));
        return counts.days().reversed().stream()
                .map(d -> new Row(d.day().toString(), d.android(), d.ios(), d.other(), d.android() + d.ios() + d.other()))
                .toList();
    }
}
