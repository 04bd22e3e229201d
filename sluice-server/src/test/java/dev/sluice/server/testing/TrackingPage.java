package dev.sluice.server.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Optional;

/**
 * The tracking page ({@code /tracking}) as a test reads it, through its {@code data-testid} attributes: per report
 * event the chart image as the browser decoded it and the rows of the daily table with their raw numbers
 * ({@code data-value}). Signing in goes through the same form as the dashboard's, see {@link DashboardPage}.
 */
public final class TrackingPage {

    private final WebDriver driver;
    private final String baseUrl;

    /** @param baseUrl {@code http://host:port} of the server, without a trailing slash */
    public TrackingPage(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    /** Loads (or reloads) the page at {@code /tracking}. */
    public TrackingPage open() {
        driver.get(baseUrl + "/tracking");
        return this;
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
                .map(row -> new Row(text(row, "day"), value(row, "android"), value(row, "ios"), value(row, "other"),
                        value(row, "total")))
                .toList();
        return new Report(section.findElement(By.cssSelector("[data-testid='report-event']")).getText(),
                section.findElement(By.cssSelector("[data-testid='report-generated']")).getText(),
                src == null ? "" : src, width.intValue(), rows);
    }

    private static String text(WebElement row, String testId) {
        return row.findElement(By.cssSelector("[data-testid='" + testId + "']")).getText();
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

    /** A row of the daily table. */
    public record Row(String day, long android, long ios, long other, long total) {
    }
}
