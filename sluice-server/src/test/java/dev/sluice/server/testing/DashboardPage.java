package dev.sluice.server.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dashboard as a test reads it, through the {@code data-testid} attributes the page promises: what is shown
 * (Selenium's visible text) and the raw numbers behind it ({@code data-value}). Every read is a snapshot taken again
 * when a poll replaced an element under it.
 */
public final class DashboardPage {

    /** The counts of a pipeline card, by {@code data-testid}. */
    public static final List<String> COUNTS = List.of("count-received", "count-written", "count-rejected",
            "count-dropped", "count-in-flight", "count-retries", "backlog-visible", "backlog-in-flight",
            "backlog-dead-letters", "backlog-behind-latest");

    private final WebDriver driver;
    private final String baseUrl;

    /** @param baseUrl {@code http://host:port} of the server, without a trailing slash */
    public DashboardPage(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    /** Loads (or reloads) the page at {@code /}. */
    public DashboardPage open() {
        driver.get(baseUrl + "/");
        return this;
    }

    /** Types the token into the form and submits it. */
    public void signIn(String token) {
        WebElement input = byTestId("token-input");
        input.clear();
        input.sendKeys(token);
        byTestId("token-submit").click();
    }

    public void signOut() {
        byTestId("sign-out").click();
    }

    public boolean loginShown() {
        return byTestId("token-form").isDisplayed();
    }

    public boolean dashboardShown() {
        return byTestId("dashboard").isDisplayed();
    }

    /** The message above the token form; "" when none is shown. */
    public String loginMessage() {
        return byTestId("token-message").getText();
    }

    /** The connection line of the header ("Live · updated …", an error, …). */
    public String connection() {
        return byTestId("connection").getText();
    }

    public List<String> pipelineNames() {
        return snapshot(() -> driver.findElements(By.cssSelector("[data-testid='pipeline']")).stream()
                .map(card -> text(card, "pipeline-name")).toList());
    }

    /** The card of the pipeline named {@code name}, if the page shows one. */
    public Optional<PipelineCard> pipeline(String name) {
        return snapshot(() -> driver.findElements(By.cssSelector("[data-testid='pipeline']")).stream()
                .filter(card -> name.equals(card.getDomAttribute("data-pipeline")))
                .findFirst()
                .map(DashboardPage::read));
    }

    /**
     * The card of the pipeline named {@code name}; an {@link AssertionError} (which Awaitility's
     * {@code untilAsserted} retries) while the page shows none.
     */
    public PipelineCard card(String name) {
        return pipeline(name).orElseThrow(() -> new AssertionError("the page shows no card for pipeline " + name
                + " (it shows " + pipelineNames() + "; connection: " + connection() + ")"));
    }

    /** The panels shown, as "pipeline/kind", in the page's order. */
    public List<String> panels() {
        return snapshot(() -> driver.findElements(By.cssSelector("[data-testid='panel']")).stream()
                .map(panel -> panel.getDomAttribute("data-pipeline") + "/" + panel.getDomAttribute("data-kind"))
                .toList());
    }

    /**
     * The panel of kind {@code kind} of the pipeline named {@code pipeline}; an {@link AssertionError} (which
     * Awaitility's {@code untilAsserted} retries) while the page shows none.
     */
    public WebElement panel(String pipeline, String kind) {
        return snapshot(() -> driver.findElements(By.cssSelector("[data-testid='panel']")).stream()
                .filter(panel -> pipeline.equals(panel.getDomAttribute("data-pipeline"))
                        && kind.equals(panel.getDomAttribute("data-kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the page shows no " + kind + " panel of " + pipeline
                        + " (it shows " + panels() + "; connection: " + connection() + ")")));
    }

    /** The text of the element with {@code testId} in a panel; "" when it is hidden. */
    public String panelText(String pipeline, String kind, String testId) {
        return snapshot(() -> child(panel(pipeline, kind), testId).getText());
    }

    /** The leaderboard panel of {@code pipeline} as shown. */
    public Leaderboard leaderboard(String pipeline) {
        return snapshot(() -> {
            WebElement panel = panel(pipeline, "leaderboard");
            List<LeaderboardRow> rows = panel.findElements(By.cssSelector("[data-testid='leaderboard-row']")).stream()
                    .map(row -> new LeaderboardRow(text(row, "leaderboard-name"),
                            Long.parseLong(child(row, "leaderboard-sum").getDomAttribute("data-value"))))
                    .toList();
            return new Leaderboard(value(panel, "leaderboard-total"), value(panel, "leaderboard-count"),
                    text(panel, "panel-title"), text(panel, "leaderboard-group"), rows);
        });
    }

    /** The rows of the partitions panel of {@code pipeline}, each as its cells' text: partition, files, size, last written. */
    public List<List<String>> partitions(String pipeline) {
        return snapshot(() -> child(panel(pipeline, "partitions"), "partition-rows").findElements(By.tagName("tr"))
                .stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .toList());
    }

    /** Whether the page shows the element with this {@code data-testid}. */
    public boolean shows(String testId) {
        return byTestId(testId).isDisplayed();
    }

    public WebElement byTestId(String testId) {
        return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    private static PipelineCard read(WebElement card) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String id : COUNTS) {
            values.put(id, child(card, id).getDomAttribute("data-value"));
        }
        WebElement failing = child(card, "pipeline-failing-since");
        List<RejectRow> rejects = card.findElements(By.cssSelector("[data-testid='reject-row']")).stream()
                .map(row -> new RejectRow(text(row, "reject-time"), text(row, "reject-reason"),
                        text(row, "reject-source")))
                .toList();
        List<String> outline = card.findElements(By.cssSelector("[data-testid='outline-step']")).stream()
                .map(WebElement::getText).toList();
        return new PipelineCard(text(card, "pipeline-name"), text(card, "pipeline-state"),
                text(card, "pipeline-source"), failing.isDisplayed() ? failing.getText() : "",
                Map.copyOf(values), Integer.parseInt(child(card, "sparkline").getDomAttribute("data-points")),
                rejects, child(card, "pipeline-outline").isDisplayed() ? outline : List.of(),
                text(card, "outline-extras"));
    }

    private static WebElement child(WebElement parent, String testId) {
        return parent.findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    private static String text(WebElement parent, String testId) {
        return child(parent, testId).getText();
    }

    private static long value(WebElement parent, String testId) {
        String value = child(parent, testId).getDomAttribute("data-value");
        return value == null ? -1 : Long.parseLong(value);
    }

    /** Reads again when a poll replaced an element while it was read. */
    static <T> T snapshot(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * One pipeline card as shown.
     *
     * @param values       each of {@link #COUNTS} by test id: the raw number, or "" when the server does not know it
     * @param failingSince the "failing since …" line, "" when hidden
     * @param points       the sparkline's number of steps
     * @param outline      the steps from source to sink as shown ("type" or "type (id)"); empty when hidden
     * @param outlineExtras the line below them: error sink, jobs, routes; "" when hidden
     */
    public record PipelineCard(String name, String state, String source, String failingSince,
                               Map<String, String> values, int points, List<RejectRow> rejects,
                               List<String> outline, String outlineExtras) {

        /** The count with this test id; an {@link AssertionError} while the page shows it as unknown. */
        public long count(String testId) {
            String value = values.get(testId);
            if (value == null || value.isEmpty()) {
                throw new AssertionError(testId + " is not shown as a number in " + this);
            }
            return Long.parseLong(value);
        }
    }

    /** A row of a pipeline's latest rejects, as shown. */
    public record RejectRow(String time, String reason, String source) {
    }

    /**
     * A leaderboard panel as shown.
     *
     * @param total  the global total, raw; -1 before the first answer
     * @param count  how many groups there are, raw; -1 before the first answer
     * @param title  its heading
     * @param column the heading of the groups' column
     */
    public record Leaderboard(long total, long count, String title, String column, List<LeaderboardRow> rows) {
    }

    /** A row of a leaderboard. */
    public record LeaderboardRow(String name, long total) {
    }
}
