package dev.sluice.server;

import dev.sluice.core.pipeline.Panel;
import dev.sluice.server.testing.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** How the dashboard's files are served: without the token, with strict headers, nothing from elsewhere. */
class DashboardRoutesTest {

    /** Every attribute that makes a browser load something. */
    private static final List<String> PAGES = List.of("/", DashboardRoutes.CHARTS_PATH);
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href|action)=\"([^\"]*)\"");

    private final ApiToken token = ApiToken.generate();
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        server = ApiServer.builder().token(token).routes(new DashboardRoutes())
                .routes(new CannedStatus(CannedStatus.status("2026-11-22T17:00:00Z", List.of())))
                .routes(new PanelsApi(() -> Map.of("sessions", List.of(new Panel("leaderboard", "Top players",
                        "/api/sessions", Map.of("groups", "players"))))))
                .start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageAndItsAssetsAreServedWithoutTheTokenAndReferenceNothingElsewhere() {
        Map<String, HttpResponse<String>> served = servedFiles();

        assertThat(served.keySet()).containsExactly("/", "/dashboard/dashboard.css", "/dashboard/auth.js",
                "/dashboard/dashboard.js", "/charts", "/dashboard/charts.js");
        served.forEach((path, response) -> {
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isNotBlank()
                    .doesNotContainIgnoringCase("http://")
                    .doesNotContainIgnoringCase("https://")
                    .doesNotContain("@import");
        });
        Map.of("/", "text/html", "/charts", "text/html", "/dashboard/dashboard.js", "text/javascript",
                        "/dashboard/charts.js", "text/javascript", "/dashboard/dashboard.css", "text/css")
                .forEach((path, type) -> assertThat(served.get(path).headers().firstValue("Content-Type")).as(path)
                        .hasValueSatisfying(value -> assertThat(value.replace(" ", ""))
                                .isEqualTo(type + ";charset=utf-8")));
        for (String page : DashboardRoutesTest.PAGES) {
            assertThat(served.get(page).body()).as(page + ": no inline script or style: the CSP would refuse them")
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
                    .doesNotContain("<style", "style=\"")
                    .doesNotContainPattern("\\son[a-z]+\\s*=");
        }
    }

    @Test
    void theDataThePageReadsNeedsTheToken() {
        for (String path : List.of("/api/status", "/api/panels", "/api/sessions")) {
            assertThat(client.get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(client.get(path, "Bearer " + token.value() + "x").statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> status = client.get("/api/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).isEqualTo("{\"time\":\"2026-11-22T17:00:00Z\",\"pipelines\":[]}");
        HttpResponse<String> panels = client.get("/api/panels");
        assertThat(panels.statusCode()).isEqualTo(200);
        assertThat(panels.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(panels.body()).isEqualTo("{\"pipelines\":[{\"name\":\"sessions\",\"panels\":[{\"kind\":"
                + "\"leaderboard\",\"title\":\"Top players\",\"path\":\"/api/sessions\",\"options\":"
                + "{\"groups\":\"players\"}}]}]}");
    }

    @Test
    void everyFileForbidsOtherOriginsAndSniffingAndIsRevalidatedByItsETag() {
        servedFiles().forEach((path, response) -> {
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'")
                            .doesNotContain("unsafe", "*", "http"));
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(headers.firstValue("Cache-Control")).as(path).hasValue("no-cache");
            String etag = headers.firstValue("ETag").orElseThrow();

            HttpResponse<byte[]> again = client.getBytes(path, "If-None-Match", etag);
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).as(path).isEmpty();
            assertThat(client.getBytes(path, "If-None-Match", "\"an-older-release\"").statusCode()).as(path)
                    .isEqualTo(200);
        });
    }

    @Test
    void onlyTheBundledFilesAreServed() {
        for (String path : List.of("/dashboard/", "/dashboard/index.html", "/dashboard/nothing.js",
                "/dashboard/..%2Fdashboard%2Findex.html", "/dashboard/%2e%2e/DashboardRoutes.class",
                "/dev/sluice/server/dashboard/dashboard.js")) {
            HttpResponse<String> response = client.get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).isEqualTo("{\"error\":\"not found\"}");
        }
    }

    /**
     * The pages and every same-origin file they reference, by path; fails on a reference to anywhere else. Links
     * between the pages are followed as pages.
     */
    private Map<String, HttpResponse<String>> servedFiles() {
        Map<String, HttpResponse<String>> served = new LinkedHashMap<>();
        for (String path : PAGES) {
            HttpResponse<String> page = client.get(path, null);
            served.put(path, page);
            List<String> references = new ArrayList<>();
            Matcher m = REFERENCE.matcher(page.body());
            while (m.find()) {
                if (!PAGES.contains(m.group(1))) {
                    references.add(m.group(1));
                }
            }
            assertThat(references).as("what %s loads", path).isNotEmpty()
                    .allSatisfy(ref -> assertThat(ref).startsWith(DashboardRoutes.ASSETS_PATH));
            for (String ref : references) {
                served.putIfAbsent(ref, client.get(ref, null));
            }
        }
        return served;
    }
}
