package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml and the Dockerfile, checked without a container engine (none runs the tests): every queue,
 * bucket and stream the shipped pipeline definitions and the built-in configuration name is made by the compose
 * file's stand-ins, the compose file runs every pipeline, and the paths the image and the compose file take from the
 * repository exist.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of(System.getProperty("sluice.root"));
    private static final Path DEFINITIONS = ROOT.resolve("sluice-pipelines/src/main/resources/sluice/pipelines");
    private static final Path DEFAULT_CONFIG = ROOT.resolve("sluice-cli/src/main/resources/sluice-default.yaml");
    /** {@code ${SLUICE_X:-default}}: the compose file runs on the defaults. */
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)}");
    private static final Pattern ELASTICMQ_QUEUE = Pattern.compile("(?m)^ {2}([a-z0-9-]+) \\{");
    private static final Pattern CREATED_STREAM = Pattern.compile("create-stream --stream-name (\\S+)");

    @Test
    void theInitServiceMakesEveryQueueBucketAndStreamThePipelinesName() throws IOException {
        Names names = namedByThePipelines();
        String init = (String) ((List<?>) service("init").get("command")).getFirst();
        Set<String> elasticmq = matches(ELASTICMQ_QUEUE, Files.readString(ROOT.resolve("docker/elasticmq.conf")));

        assertThat(names.queues).isNotEmpty();
        for (String queue : names.queues) {
            assertThat(elasticmq).as("docker/elasticmq.conf has %s and its dead-letter queue", queue)
                    .contains(queue, queue + "-dlq");
            assertThat(loopWords(init, "q")).as("init checks %s and its dead-letter queue", queue)
                    .contains(queue, queue + "-dlq");
        }
        assertThat(loopWords(init, "b")).as("init creates the buckets").containsAll(names.buckets);
        assertThat(init).contains("create-bucket");
        assertThat(matches(CREATED_STREAM, init)).as("init creates the streams").containsAll(names.streams);
    }

    @Test
    void sluiceRunsEveryShippedPipelineAgainstTheStandIns() throws IOException {
        Map<String, Object> sluice = service("sluice");
        List<String> pipelines = new ArrayList<>();
        for (Path definition : definitions()) {
            String file = definition.getFileName().toString();
            pipelines.add(file.substring(0, file.length() - ".yaml".length()));
        }

        assertThat(strings(sluice.get("command"))).startsWith("run", "--host", "0.0.0.0").containsAll(pipelines);
        assertThat(pipelines).contains("logins", "playtime", "tracking", "lake");
        @SuppressWarnings("unchecked")
        Map<String, Object> aws = (Map<String, Object>) compose().get("x-local-aws");
        assertThat(aws).containsEntry("AWS_ENDPOINT_URL_SQS", "http://elasticmq:9324")
                .containsEntry("AWS_ENDPOINT_URL_S3", "http://s3:9090")
                .containsEntry("AWS_ENDPOINT_URL_KINESIS", "http://kinesis:4567")
                .containsKeys("AWS_REGION", "AWS_DEFAULT_REGION");
        assertThat(strings(((Map<?, ?>) sluice.get("depends_on")).keySet())).contains("postgres", "redis", "init");
        assertThat(strings(service("init").get("depends_on"))).contains("elasticmq", "s3", "kinesis");
    }

    @Test
    void whatTheComposeFileAndTheDockerfileTakeFromTheRepositoryIsThere() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose().get("services");
        List<String> mounted = services.values().stream()
                .flatMap(s -> s.get("volumes") instanceof List<?> volumes ? volumes.stream() : Stream.empty())
                .map(Object::toString).filter(v -> v.startsWith("./"))
                .map(v -> v.substring(0, v.indexOf(':'))).toList();
        assertThat(mounted).contains("./docker/elasticmq.conf", "./sluice-local/src/main/kinesis-local");
        for (String path : mounted) {
            assertThat(ROOT.resolve(path)).as("compose mounts %s", path).exists();
        }
        assertThat(ROOT.resolve("sluice-local/src/main/kinesis-local")).isDirectoryContaining("glob:**/package-lock.json");
        // The emulator reads server.json from its working directory (EmbeddedKinesis starts it there too).
        assertThat(strings(services.get("kinesis").get("command")).getFirst())
                .contains("cd node_modules/kinesis-local && exec node main.js");

        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("-pl sluice-cli -am", "COPY --from=build /src/sluice-cli/target/sluice.jar");
        assertThat(ROOT.resolve("mvnw")).isExecutable();
        // The jar's name is the shade plugin's, not Maven's default sluice-cli-VERSION.jar.
        assertThat(Files.readString(ROOT.resolve("sluice-cli/pom.xml"))).contains("<finalName>sluice</finalName>");
        assertThat(service("sluice")).containsEntry("build", ".");
    }

    /** Queues, buckets and streams of the shipped definitions and the built-in configuration. */
    private static Names namedByThePipelines() throws IOException {
        Names names = new Names();
        List<Path> files = new ArrayList<>(List.of(DEFAULT_CONFIG));
        files.addAll(definitions());
        for (Path file : files) {
            names.collect(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
        }
        // The playtime bucket is named by S3's notifications, not by the definition; generate and upload use this one.
        names.buckets.add(ConfigSource.PLAYTIME_BUCKET);
        assertThat(names.queues).contains(ConfigSource.LOGINS_QUEUE, ConfigSource.PLAYTIME_QUEUE,
                ConfigSource.TRACKING_QUEUE);
        assertThat(names.buckets).contains(ConfigSource.TRACKING_BUCKET, "lake");
        assertThat(names.streams).contains("product-events");
        return names;
    }

    /** The shipped definitions, {@code NAME.yaml}; their pipeline tests ({@code NAME.test.yaml}) sit beside them. */
    private static List<Path> definitions() throws IOException {
        try (Stream<Path> files = Files.list(DEFINITIONS)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".test.yaml"))
                    .sorted().toList();
        }
    }

    private static final class Names {
        final Set<String> queues = new LinkedHashSet<>();
        final Set<String> buckets = new LinkedHashSet<>();
        final Set<String> streams = new LinkedHashSet<>();

        void collect(Object node) {
            if (node instanceof Map<?, ?> map) {
                map.forEach((key, value) -> {
                    if (value instanceof String text) {
                        switch (key.toString()) {
                            case "queue" -> queues.add(resolved(text));
                            case "bucket" -> buckets.add(resolved(text));
                            case "stream" -> streams.add(resolved(text));
                            default -> { }
                        }
                    }
                    collect(value);
                });
            } else if (node instanceof List<?> list) {
                list.forEach(this::collect);
            }
        }

        private static String resolved(String value) {
            Matcher m = DEFAULTED.matcher(value);
            return m.matches() ? m.group(1) : value;
        }
    }

    private static Map<String, Object> compose() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ROOT.resolve("docker-compose.yml")));
        return compose;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return ((Map<String, Map<String, Object>>) compose().get("services")).get(name);
    }

    /** The words of the init script's {@code for VARIABLE in ...; do} list, continuation lines included. */
    private static List<String> loopWords(String script, String variable) {
        int start = script.indexOf("for " + variable + " in ");
        assertThat(start).as("init has a loop over %s", variable).isNotNegative();
        String list = script.substring(start + ("for " + variable + " in ").length(), script.indexOf("; do", start));
        return Arrays.stream(list.replace("\\", " ").split("\\s+")).filter(w -> !w.isBlank()).toList();
    }

    private static List<String> strings(Object values) {
        return ((Collection<?>) values).stream().map(Object::toString).toList();
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
