package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice demo} as a user runs it, in its own JVM: it fills {@code user_logins} and {@code login_errors}, the
 * playtime API it prints answers with the generated dataset's totals under the printed token (and 401 without it),
 * and Ctrl-C (SIGINT) stops it cleanly: every received message is written or rejected, none is left in flight.
 */
class DemoCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "logins: received ([\\d,]+)  written ([\\d,]+)  rejected ([\\d,]+)  in flight ([\\d,]+)");
    private static final Pattern POSTGRES = Pattern.compile("(jdbc:postgresql://\\S+)");
    private static final Pattern CURL = Pattern.compile("curl -H 'Authorization: Bearer (\\S+)' (\\S+/api/playtime)");
    private static final Pattern TOTAL = Pattern.compile("\"total_playtime\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theDemoFillsTheTablesAndCtrlCStopsItCleanly() throws Exception {
        Path out = dir.resolve("out.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Logging as the runnable jar logs: the production logback.xml, not logback-test.xml.
        Process demo = new ProcessBuilder(java, "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                SluiceCommand.class.getName(), "demo", "--data-dir", dir.resolve("data").toString(), "--rate", "200/s",
                "--port", "0")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(POSTGRES.matcher(read(out)).find())
                    .as("the stack's lines in the demo's output so far:%n%s", read(out)).isTrue());
            Matcher url = POSTGRES.matcher(read(out));
            assertThat(url.find()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(url.group(1), "user_logins") >= 200
                    && count(url.group(1), "login_errors") >= 1);

            Matcher curl = CURL.matcher(read(out));
            assertThat(curl.find()).as("the API line in:%n%s", read(out)).isTrue();
            URI api = URI.create(curl.group(2));
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertThat(http.send(HttpRequest.newBuilder(api).build(), BodyHandlers.ofString()).statusCode())
                        .as("no token").isEqualTo(401);
                HttpRequest authorized = HttpRequest.newBuilder(api)
                        .header("Authorization", "Bearer " + curl.group(1)).build();
                // The demo's first dataset: 100,000 rows of 1-10 s over user_1..user_10.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> totals = http.send(authorized, BodyHandlers.ofString());
                    assertThat(totals.statusCode()).isEqualTo(200);
                    assertThat(totals.body()).contains("\"user_1\":{", "\"user_10\":{");
                    Matcher total = TOTAL.matcher(totals.body());
                    assertThat(total.find()).isTrue();
                    assertThat(Long.parseLong(total.group(1))).isBetween(100_000L * 5, 100_000L * 6);
                });
            }

            new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("Ctrl-C stops the demo").isTrue();
        } finally {
            demo.destroyForcibly();
        }

        String printed = read(out);
        assertThat(printed).contains("stopping ...");
        Matcher summary = SUMMARY.matcher(printed.substring(printed.indexOf("stopping ...")));
        assertThat(summary.find()).as("summary line in:%n%s", printed).isTrue();
        List<Long> n = List.of(number(summary.group(1)), number(summary.group(2)), number(summary.group(3)),
                number(summary.group(4)));
        assertThat(n.get(0)).isPositive().isEqualTo(n.get(1) + n.get(2));
        assertThat(n.get(3)).as("in flight after the stop").isZero();
        assertThat(printed).doesNotContain("Exception");
        assertThat(printed.lines()).as("readable log lines, not JSON").noneMatch(line -> line.startsWith("{"))
                .anyMatch(line -> line.matches("[\\d:.]{12} INFO  Runner - pipeline logins started on .*"));
        assertThat(printed).as("every pipeline runs in the demo")
                .contains("pipeline tracking started on tracking-events", "pipeline lake started on ")
                .contains("/charts?pipeline=tracking (loads every minute, draws every two)");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** Rows in {@code table}, or 0 while the pipeline has not created it yet. */
    private static long count(String jdbcUrl, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); var st = c.createStatement()) {
            try (ResultSet exists = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
