package dev.sluice.cli;

import dev.sluice.server.ApiToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sluice status}: the dashboard's numbers as a table, read from a running {@code sluice run} or
 * {@code sluice demo} through {@code GET /api/status} with the token from {@code SLUICE_API_TOKEN}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each pipeline of a running instance: state, counts, backlog, dead letters, latest "
                + "rejects. The token comes from SLUICE_API_TOKEN.")
final class StatusCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int REJECTS_SHOWN = 3;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:" + ReadApi.DEFAULT_PORT,
            description = "the instance's API (default: ${DEFAULT-VALUE})")
    URI url;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String token = System.getenv(ApiToken.ENVIRONMENT_VARIABLE);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(ApiToken.ENVIRONMENT_VARIABLE + " must hold the instance's API token "
                    + "(run and demo print it when they generate one)");
        }
        URI status = url.resolve("/api/status");
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("nothing answers at " + url + " (is sluice run or demo running there, "
                    + "with that --port?)", e);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + status + ": " + e.getMessage(), e);
        }
        if (response.statusCode() == 401) {
            throw new IllegalArgumentException(ApiToken.ENVIRONMENT_VARIABLE + " is not the token of the instance at "
                    + url);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(status + " answered " + response.statusCode());
        }
        print(JSON.readTree(response.body()), spec.commandLine().getOut());
        return 0;
    }

    static void print(JsonNode status, PrintWriter out) {
        String row = "%-10s %-8s %-24s %12s %12s %10s %10s %10s %6s%n";
        out.printf(Locale.ROOT, row, "PIPELINE", "STATE", "SOURCE", "RECEIVED", "WRITTEN", "REJECTED", "IN FLIGHT",
                "BACKLOG", "DLQ");
        for (JsonNode p : status.path("pipelines")) {
            JsonNode backlog = p.path("backlog");
            out.printf(Locale.ROOT, row, p.path("name").asString(), p.path("state").asString(),
                    p.path("source").asString(), count(p.path("received")), count(p.path("written")),
                    count(p.path("rejected")), count(p.path("inFlight")),
                    backlog.isObject() ? count(backlog.path("visible")) : "?",
                    backlog.isObject() ? count(backlog.path("deadLetters")) : "?");
        }
        for (JsonNode p : status.path("pipelines")) {
            if (!p.path("failingSince").isNull() && !p.path("failingSince").isMissingNode()) {
                out.printf(Locale.ROOT, "%s: failing since %s, %s retries so far%n", p.path("name").asString(),
                        p.path("failingSince").asString(), count(p.path("retries")));
            }
            int shown = 0;
            for (JsonNode reject : p.path("latestRejects")) {
                if (shown++ == REJECTS_SHOWN) {
                    break;
                }
                out.printf(Locale.ROOT, "%s: rejected %s at %s: %s%n", p.path("name").asString(),
                        reject.path("source").asString(), reject.path("time").asString(),
                        reject.path("reason").asString());
            }
        }
        out.flush();
    }

    private static String count(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%,d", n.asLong()) : "?";
    }
}
