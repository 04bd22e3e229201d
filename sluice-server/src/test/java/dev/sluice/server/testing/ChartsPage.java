package dev.sluice.server.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The charts page ({@code /charts?pipeline=NAME}) as a test reads it, through its {@code data-testid} attributes:
 * per report event the chart image as the browser decoded it and the rows of the daily table with their raw numbers
 * ({@code data-value}). Signing in goes through the same form as the dashboard's, see {@link DashboardPage}.
 */
public final class ChartsPage {

    private final WebDriver driver;
    private final String baseUrl;

    /** @param baseUrl {@code http://host:port} of the server, without a trailing slash */
    public ChartsPage(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    /** Loads (or reloads) the charts page of {@code pipeline}; null: the page without a pipeline named. */
    public ChartsPage open(String pipeline) {
        driver.get(baseUrl + "/charts" + (pipeline == null ? ""
                : "?pipeline=" + URLEncoder.encode(pipeline, StandardCharsets.UTF_8)));
        return this;
    }

    /** The page's heading. */
    public String title() {
        return driver.findElement(By.cssSelector("[data-testid='charts-title']")).getText();
    }

    /** The pipelines the page offers to choose from, by their link text. */
    public List<String> choices() {
        return DashboardPage.snapshot(() -> driver.findElements(By.cssSelector("[data-testid='charts-choice']"))
                .stream().map(WebElement::getText).toList());
    }

    /** The sign-in form, which this page shares with the dashboard. */
    public DashboardPage login() {
        return new DashboardPage(driver, baseUrl);
    }

    public List<String> events() {
        return DashboardPage.snapshot(() -> driver.findElements(By.cssSelector("[data-testid='report']")).stream()
                .map(section -> section.getDomAttribute("data-event")).toList());
    }

    /** The section of {@code event}, if shown. */
    public Optional<Report> report(String event) {
        return DashboardPage.snapshot(() -> driver.findElements(By.cssSelector("[data-testid='report']")).stream()
                .filter(section -> event.equals(section.getDomAttribute("data-event")))
                .findFirst()
                .map(this::read));
    }

    /** The section of {@code event}; an {@link AssertionError} (which Awaitility retries) while none is shown. */
    public Report reportOf(String event) {
        return report(event).orElseThrow(() -> new AssertionError("the page shows no report of " + event
                + " (it shows " + events() + ")"));
    }

    /** The message above the reports; "" when none is shown. */
    public String message() {
        return driver.findElement(By.cssSelector("[data-testid='reports-message']")).getText();
    }

    private Report read(WebElement section) {
        WebElement chart = section.findElement(By.cssSelector("[data-testid='chart']"));
        Number width = (Number) ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0;", chart);
        String src = chart.getDomAttribute("src");
        List<Row> rows = section.findElements(By.cssSelector("[data-testid='daily-row']")).stream()
                .map(row -> new Row(text(row, "day"), counts(row), value(row, "total")))
                .toList();
        return new Report(section.findElement(By.cssSelector("[data-testid='report-event']")).getText(),
                section.findElement(By.cssSelector("[data-testid='report-generated']")).getText(),
                src == null ? "" : src, width.intValue(), rows);
    }

    private static String text(WebElement row, String testId) {
        return row.findElement(By.cssSelector("[data-testid='" + testId + "']")).getText();
    }

    /** A row's count per group, in the table's order. */
    private static Map<String, Long> counts(WebElement row) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (WebElement cell : row.findElements(By.cssSelector("[data-testid='count']"))) {
            counts.put(cell.getDomAttribute("data-group"), Long.parseLong(cell.getDomAttribute("data-value")));
        }
        return counts;
    }

    private static long value(WebElement row, String testId) {
        return Long.parseLong(row.findElement(By.cssSelector("[data-testid='" + testId + "']"))
                .getDomAttribute("data-value"));
    }

    /**
     * One report event as shown.
     *
     * @param chartSrc   the image's {@code src} ({@code blob:…} once loaded)
     * @param chartWidth the image's natural width as decoded by the browser; 0 while not loaded or broken
     * @param rows       the daily table, newest day first
     */
    public record Report(String event, String generated, String chartSrc, int chartWidth, List<Row> rows) {
    }

    /** A row of the daily table: the day, each group's count in the table's order, their sum. */
    public record Row(String day, Map<String, Long> counts, long total) {
    }
}
