package dev.sluice.server;

import dev.sluice.server.testing.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiToken token = ApiToken.generate();
    private final TrackingReport success = CannedTrackingReports.report("submission_success", 5, 3);
    private final CannedTrackingReports reports =
            new CannedTrackingReports(List.of("submission_success", "registration_initiated")).put(success);
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() {
        server = ApiServer.builder().token(token).routes(new TrackingApi(reports)).start();
        client = new ApiClient(server, token);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheLatestChartAsPngAndItsNumbersAsJson() throws IOException {
        HttpResponse<byte[]> chart = client.getBytes("/api/tracking/charts/submission_success.png", "Accept", "*/*");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(chart.body()).isEqualTo(success.png());
        assertThat(ImageIO.read(new ByteArrayInputStream(chart.body())).getWidth()).isEqualTo(400);

        HttpResponse<String> daily = client.get("/api/tracking/daily?event=submission_success");
        assertThat(daily.statusCode()).isEqualTo(200);
        assertThat(DailyCountsJson.read(daily.body().getBytes(StandardCharsets.UTF_8))).isEqualTo(success.counts());
    }

    @Test
    void listsTheReportEventsWithTheTimeOfTheirLatestReport() {
        JsonNode events = JSON.readTree(client.get("/api/tracking/events").body()).get("events");

        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("event").asString()).isEqualTo("submission_success");
        assertThat(events.get(0).get("generated_at").asString())
                .isEqualTo(success.counts().generatedAt().toString());
        assertThat(events.get(1).get("event").asString()).isEqualTo("registration_initiated");
        assertThat(events.get(1).get("generated_at").isNull()).as("no report yet").isTrue();
    }

    @Test
    void aReportEventWithoutReportYetIs404() {
        assertError(client.get("/api/tracking/daily?event=registration_initiated"), 404, "no report yet");
        assertError(client.get("/api/tracking/charts/registration_initiated.png"), 404, "no report yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"another_event", "<script>alert(1)</script>", "Submission_Success", "submission_success.gif",
            "..%2Fsubmission_success"})
    void anUnknownEventIs404WithoutEchoingIt(String event) {
        String encoded = URLEncoder.encode(event, StandardCharsets.UTF_8);
        HttpResponse<String> daily = client.get("/api/tracking/daily?event=" + encoded);
        HttpResponse<String> chart = client.get("/api/tracking/charts/" + encoded + ".png");

        for (HttpResponse<String> response : List.of(daily, chart)) {
            assertError(response, 404, "unknown event");
            assertThat(response.body()).doesNotContain(event).doesNotContain("script");
        }
        assertError(client.get("/api/tracking/charts/submission_success"), 404, "unknown event");
    }

    @Test
    void theEventParameterIsRequired() {
        assertError(client.get("/api/tracking/daily"), 400, "the event parameter is required");
    }

    @Test
    void everyRouteNeedsTheToken() {
        for (String path : List.of("/api/tracking/events", "/api/tracking/daily?event=submission_success",
                "/api/tracking/charts/submission_success.png")) {
            HttpResponse<String> none = client.get(path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
            assertThat(none.body()).as(path).doesNotContain("android");
            assertThat(client.get(path, "Bearer " + token.value() + "x").statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void unreadableReportsAre503() {
        reports.failWith(new IllegalStateException("bucket tracking: connection refused"));

        for (String path : List.of("/api/tracking/events", "/api/tracking/daily?event=submission_success",
                "/api/tracking/charts/submission_success.png")) {
            assertError(client.get(path), 503, "tracking reports unavailable");
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo(error);
    }
}
