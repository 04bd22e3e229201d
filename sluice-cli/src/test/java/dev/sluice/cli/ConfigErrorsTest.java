package dev.sluice.cli;

import dev.sluice.postgres.SqlIdentifier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A broken sluice.yaml stops {@code check} and {@code run} before anything connects: exit code 2 and one line on
 * stderr that names the file, the line and the key (or variable) and says what is wrong.
 */
class ConfigErrorsTest {
    static final String UNSET_VARIABLE = "SLUICE_TEST_NEVER_SET_3F9A";

    /**
     * Lines 1-9 are valid; each case adds lines under {@code pipelines.logins} from line 10 on. The endpoints are
     * closed ports and the keyset file does not exist, so a config that loaded by mistake fails differently (and
     * quickly) instead of running.
     */
    private static String yaml(String postgresUrl, String loginsLines) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {sqs: "http://127.0.0.1:9"}
                postgres:
                  url: %s
                keys:
                  keysetFile: /nonexistent/sluice-keyset.json
                pipelines:
                  logins:
                %s""".formatted(postgresUrl, loginsLines.indent(4));
    }

    private static final String URL = "jdbc:postgresql://127.0.0.1:9/sluice";

    /**
     * A value that parses but breaks a rule checked in its record's constructor (waitTime, table) is reported at the
     * field's own line, with the field's key path, like a wrong type.
     */
    static Stream<Arguments> brokenConfigs() {
        List<Arguments> cases = List.of(
                Arguments.of("unknown key", yaml(URL, "recievers: 3"), 10,
                        List.of("unknown key 'recievers'", "pipelines.logins")),
                Arguments.of("wrong type", yaml(URL, "processors: [{id: parse, maxBodyBytes: abc}]"), 10,
                        List.of("pipelines.logins.processors[0].maxBodyBytes", "expected an integer", "\"abc\"")),
                Arguments.of("bad duration", yaml(URL, """
                                source:
                                  queue: login-queue
                                  waitTime: 25s"""), 12,
                        List.of("pipelines.logins.source.waitTime",
                                "waitTime must be between 0 and 20 seconds, was 25 s")),
                Arguments.of("missing variable", yaml("${" + UNSET_VARIABLE + "}", "sink: {table: user_logins}"), 5,
                        List.of("environment variable " + UNSET_VARIABLE + " is not set",
                                "${" + UNSET_VARIABLE + ":-default}")),
                Arguments.of("invalid table name", yaml(URL, "sink:\n  table: \"user logins\""), 11,
                        List.of("pipelines.logins.sink.table", "'user logins'", SqlIdentifier.RULE)),
                Arguments.of("a rule about a whole entry", yaml(URL, """
                                processors:
                                  - id: derive
                                    derive: [{field: day}]"""), 12,
                        List.of("pipelines.logins.processors[3].derive[0]", "day: give exactly one of date, hour")),
                Arguments.of("a playtime rule", yaml(URL, "sink: {table: user_logins}") + """
                          playtime:
                            sink:
                              maxGroups: 0
                        """, 13,
                        List.of("pipelines.playtime.sink.maxGroups", "maxGroups must be at least 1, was 0")),
                Arguments.of("a tracking archive limit", yaml(URL, "sink: {table: user_logins}") + """
                          tracking:
                            sink:
                              roll: {maxBytes: 100}
                        """, 13,
                        List.of("pipelines.tracking.sink.roll.maxBytes", "maxBytes must be at least 1024, was 100")),
                Arguments.of("the lake's maxFuture that is not a duration", yaml(URL, "sink: {table: user_logins}")
                        + """
                          lake:
                            processors: [{id: validate, fields: {created_at: {maxFuture: soon}}}]
                        """, 12,
                        List.of("pipelines.lake.processors[1].fields.created_at.maxFuture",
                                "expected a duration")));
        return Stream.of("check", "run").flatMap(command -> cases.stream().map(c -> {
            Object[] a = c.get();
            return Arguments.of(command, a[0], a[1], a[2], a[3]);
        }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("brokenConfigs")
    void aBrokenConfigIsOneLineNamingFileLineAndKey(String command, String name, String yaml, int line,
                                                    List<String> fragments, @TempDir Path dir) throws IOException {
        assertThat(System.getenv(UNSET_VARIABLE)).as("precondition: %s is unset", UNSET_VARIABLE).isNull();
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml);

        // run blocks until a signal once it starts; a config that loaded by mistake must not hang the suite.
        Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Cli.run(command, "--config", file.toString()));

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).as("nothing on stdout").isEmpty();
        assertThat(result.errLines()).as("%s", result).hasSize(1);
        String error = result.errLines().getFirst();
        assertThat(error).startsWith("sluice: " + file + ":" + line + ":");
        assertThat(error).contains(fragments);
    }
}
