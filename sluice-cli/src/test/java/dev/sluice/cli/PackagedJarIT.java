package dev.sluice.cli;

import dev.sluice.local.EnvFile;
import dev.sluice.server.ApiToken;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar as users get it: shading must keep every class and resource the commands need (a dependency
 * that is only on the test classpath passes every other test and fails here). The playtime case runs Parquet,
 * S3, SQS, Redis and the HTTP server from the jar, the way `sluice local` + `run` + `generate` are used together.
 */
class PackagedJarIT {
    private static final Pattern API = Pattern.compile("metrics at (http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("API token \\(generated; [^)]*\\): (\\S+)");
    private static final Pattern GENERATED_TOTAL = Pattern.compile("files, ([\\d,]+) s in all");
    private static final Pattern TOTAL = Pattern.compile("\"total_playtime\":(\\d+)");

    @TempDir
    Path dir;

    private Process start(String name, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-jar", System.getProperty("sluice.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".txt").toFile());
        // Without a token in the environment, `run` generates one and prints it.
        builder.environment().remove(ApiToken.ENVIRONMENT_VARIABLE);
        builder.environment().putAll(environment);
        return builder.start();
    }

    private String output(String name) throws IOException {
        Path out = dir.resolve(name + ".txt");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void printsItsVersion() throws Exception {
        Process p = start("version", Map.of(), "--version");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output("version")).startsWith("sluice 0.1.0");
    }

    /** lint, plugins and schema read each plugin's reference (sluice/plugins/KIND/TYPE.yaml) from the jar. */
    @Test
    void lintPluginsAndSchemaWorkOfflineFromTheJar() throws Exception {
        Map<String, String> env = Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:9/sluice");
        Process lint = start("lint", env, "lint");
        Process plugins = start("plugins", Map.of(), "plugins", "mask");
        Process schema = start("schema", Map.of(), "schema");
        for (Process p : List.of(lint, plugins, schema)) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lint.exitValue()).as(output("lint")).isZero();
        assertThat(output("lint")).contains("the built-in configuration: ok");
        assertThat(plugins.exitValue()).as(output("plugins")).isZero();
        assertThat(output("plugins")).contains("  fields (mapping field → hmac or siv; default —)");
        assertThat(schema.exitValue()).as(output("schema")).isZero();
        assertThat(output("schema")).contains("\"const\" : \"postgres_table\"", "natural_key");
    }

    /** The pipeline tests load every module's plugins through the shaded jar's merged service files. */
    @Test
    void runsTheShippedPipelineTestsWithNoServer() throws Exception {
        Path root = Path.of(System.getProperty("sluice.root"));
        Process p = start("pipeline-tests", Map.of(), "test",
                root.resolve("sluice-pipelines/src/main/resources/sluice/pipelines").toString(),
                root.resolve("docs/examples").toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output("pipeline-tests")).isZero();
        assertThat(output("pipeline-tests")).containsPattern("(?m)^ok   clicks: ")
                .containsPattern("(?m)^\\d+ passed, 0 failed$");
    }

    @Test
    void localStartsTheStackAndRunCountsWhatGeneratePlaytimeUploads() throws Exception {
        Process local = start("local", Map.of(), "local", "--data-dir", "stack");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> output("local").contains("Ctrl-C stops the stack")
                    || !local.isAlive());
            assertThat(output("local")).contains("Environment written to");
            Map<String, String> env = EnvFile.read(dir.resolve("stack").resolve("env"));
            assertThat(env).containsKeys("AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "SLUICE_POSTGRES_URL",
                    "SLUICE_REDIS_URL", "SLUICE_KEYSET_FILE");
            assertThat(dir.resolve("stack/postgres/PG_VERSION")).exists();

            countGeneratedPlaytime(env);

            new ProcessBuilder("kill", "-INT", Long.toString(local.pid())).start().waitFor();
            assertThat(local.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            local.destroyForcibly();
        }
        assertThat(output("local")).doesNotContain("Exception", "sluice: ");
        assertThat(dir.resolve("stack/redis")).isDirectoryContaining(p -> p.getFileName().toString()
                .startsWith("appendonly"));
    }

    /** `run playtime` with a generated token, `generate playtime`, then the totals through the API. */
    private void countGeneratedPlaytime(Map<String, String> env) throws Exception {
        Process run = start("run", env, "run", "playtime", "--port", "0");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> TOKEN.matcher(output("run")).find()
                    || !run.isAlive());
            Matcher api = API.matcher(output("run"));
            Matcher token = TOKEN.matcher(output("run"));
            assertThat(api.find() && token.find()).as("run's output:%n%s", output("run")).isTrue();

            Process generate = start("generate", env, "generate", "playtime", "--files", "2", "--rows", "5000",
                    "--users", "3", "--seed", "4");
            try {
                assertThat(generate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            } finally {
                generate.destroyForcibly();
            }
            assertThat(generate.exitValue()).as(output("generate")).isZero();
            Matcher generated = GENERATED_TOTAL.matcher(output("generate"));
            assertThat(generated.find()).as(output("generate")).isTrue();
            long expected = Long.parseLong(generated.group(1).replace(",", ""));

            URI playtime = URI.create(api.group(1) + "/api/playtime");
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(api.group(1) + "/ready")).build(),
                        BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                // The dashboard's files are resources: shading must have kept them.
                HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(api.group(1) + "/"))
                        .build(), BodyHandlers.ofString());
                assertThat(dashboard.statusCode()).isEqualTo(200);
                assertThat(dashboard.body()).contains("data-testid=\"token-form\"", "/dashboard/dashboard.js");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(api.group(1) + "/dashboard/dashboard.js"))
                        .build(), BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                HttpRequest authorized = HttpRequest.newBuilder(playtime)
                        .header("Authorization", "Bearer " + token.group(1)).build();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> totals = http.send(authorized, BodyHandlers.ofString());
                    assertThat(totals.statusCode()).isEqualTo(200);
                    Matcher total = TOTAL.matcher(totals.body());
                    assertThat(total.find()).isTrue();
                    assertThat(Long.parseLong(total.group(1))).isEqualTo(expected);
                    assertThat(totals.body()).contains("\"user_1\":{", "\"user_3\":{");
                });
            }

            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exitValue()).as("SIGTERM stops run gracefully").isIn(0, 143);
        } finally {
            run.destroyForcibly();
        }
        assertThat(output("run")).contains("playtime: received 2  written 2  rejected 0  in flight 0")
                .doesNotContain("Exception");
        // The jar's logging configuration: JSON lines under run, with the fields of a counted file.
        assertThat(output("run").lines().filter(line -> line.startsWith("{\"@timestamp\":")))
                .anyMatch(line -> line.contains("\"pipeline\":\"playtime\"") && line.contains("\"source\":\"s3:"));
    }
}
