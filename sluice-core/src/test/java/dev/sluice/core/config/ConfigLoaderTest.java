package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    enum Mode { HMAC, SIV }

    record Receiver(String name, Duration timeout) {
    }

    record Pipeline(String queue, Integer batchSize, Duration pollWait, List<Receiver> receivers, Mode mode,
                    Boolean enabled, Double ratio) {
        Pipeline {
            if (batchSize == null) {
                batchSize = 10;
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1 to 10000, got " + batchSize);
            }
            if (ratio != null && ratio > 1 && mode == null) {
                throw new IllegalArgumentException("mode must be set when ratio is above 1");
            }
        }
    }

    record Server(int port, String password) {
    }

    record Sluice(Map<String, Pipeline> pipelines, Server server) {
    }

    @TempDir
    Path directory;

    private Path write(String yaml) throws Exception {
        Path file = directory.resolve("sluice.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String CONFIG = """
            # Sluice config
            server:
              port: ${PORT:-8080}
              password: "${DB_PASSWORD}"
            pipelines:
              logins:
                queue: ${QUEUE:-login-queue}
                batchSize: BATCH
                pollWait: 20s
                mode: siv
                receivers:
                  - name: postgres
                    timeout: 500ms
                  - name: errors
                    timeout: PT2M
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("DB_PASSWORD", "p#ss: word", "QUEUE", ""));

    @ParameterizedTest
    @ValueSource(strings = {"p #word", "\"quoted", "'single", "[not, a, list]", "{not: a map}", "*alias", "&anchor",
            "!tag", "|block", ">folded", "%directive", "@at", "`tick", " padded ", "ends with colon:",
            "key: value", "- dash", "back\\slash \"both\" # kinds", "plain-p4ss_word"})
    void anUnquotedSecretArrivesExactlyAsTheEnvironmentHasIt(String secret) {
        Server server = new ConfigLoader(Map.of("SECRET", secret))
                .load("s.yaml", "port: 5432\npassword: ${SECRET}\n", Server.class);
        assertThat(server.password()).isEqualTo(secret);
    }

    @Test
    void plainSubstitutedValuesKeepTheirType() {
        Server server = new ConfigLoader(Map.of("PORT", "9090", "SECRET", "-5"))
                .load("s.yaml", "port: ${PORT}\npassword: ${SECRET}\n", Server.class);
        assertThat(server.port()).isEqualTo(9090);
        assertThat(server.password()).isEqualTo("-5");
    }

    @Test
    void loadsRecordsSubstitutingVariablesWithAndWithoutDefaults() throws Exception {
        Sluice config = loader.load(write(CONFIG.replace("BATCH", "25")), Sluice.class);

        assertThat(config.server()).isEqualTo(new Server(8080, "p#ss: word"));
        Pipeline logins = config.pipelines().get("logins");
        assertThat(logins.queue()).isEqualTo("login-queue");
        assertThat(logins.batchSize()).isEqualTo(25);
        assertThat(logins.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(logins.mode()).isEqualTo(Mode.SIV);
        assertThat(logins.receivers()).containsExactly(new Receiver("postgres", Duration.ofMillis(500)),
                new Receiver("errors", Duration.ofMinutes(2)));
        assertThat(new ConfigLoader(Map.of("PORT", "9000", "DB_PASSWORD", "x", "QUEUE", "q"))
                .load(write(CONFIG.replace("BATCH", "1")), Sluice.class).server().port()).isEqualTo(9000);
    }

    @Test
    void acceptsEveryDurationForm() {
        assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(DurationText.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(DurationText.parse("2h")).contains(Duration.ofHours(2));
        assertThat(DurationText.parse("1d")).contains(Duration.ofDays(1));
        assertThat(DurationText.parse("PT20S")).contains(Duration.ofSeconds(20));
        assertThat(DurationText.parse("20")).isEmpty();
        assertThat(DurationText.parse("-5s")).isEmpty();
        assertThat(DurationText.parse("PT-5S")).isEmpty();
        assertThat(DurationText.parse("20 s")).isEmpty();
    }

    @Test
    void aMissingVariableNamesTheVariableTheFileAndTheLine() throws Exception {
        Path file = write(CONFIG.replace("BATCH", "25"));

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, Sluice.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":4:14: environment variable DB_PASSWORD is not set and ${DB_PASSWORD} has no"
                        + " default (write ${DB_PASSWORD:-default} to give one)");
    }

    @Test
    void substitutionKeepsLineNumbersForLaterErrors() throws Exception {
        Path file = write(CONFIG.replace("BATCH", "abc"));

        assertThatThrownBy(() -> loader.load(file, Sluice.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":8:5: pipelines.logins.batchSize: expected an integer, got \"abc\"")
                .satisfies(e -> {
                    ConfigException config = (ConfigException) e;
                    assertThat(config.line()).isEqualTo(8);
                    assertThat(config.keyPath()).isEqualTo("pipelines.logins.batchSize");
                });
    }

    @Test
    void anUnknownKeyIsNamedWithItsParentAndTheKnownKeys() throws Exception {
        Path file = write(CONFIG.replace("BATCH", "25").replace("receivers:", "recievers:"));

        assertThatThrownBy(() -> loader.load(file, Sluice.class))
                .hasMessage(file + ":11:5: unknown key 'recievers' under pipelines.logins (known: batchSize, enabled,"
                        + " mode, pollWait, queue, ratio, receivers)");
        assertThatThrownBy(() -> loader.load("top.yaml", "servr:\n  port: 1\n", Sluice.class))
                .hasMessage("top.yaml:1:1: unknown key 'servr' at the top level (known: pipelines, server)");
    }

    @Test
    void wrongTypesAreNamedNotCoerced() {
        assertThatThrownBy(() -> loader.load("s.yaml", "server:\n  port: 80.5\n", Sluice.class))
                .hasMessage("s.yaml:2:3: server.port: expected an integer, got 80.5");
        assertThatThrownBy(() -> loader.load("s.yaml", "server:\n  port: [1]\n", Sluice.class))
                .hasMessage("s.yaml:2:3: server.port: expected an integer, got a list");
        assertThatThrownBy(() -> loader.load("s.yaml", "pipelines:\n  a:\n    enabled: 1\n", Sluice.class))
                .hasMessage("s.yaml:3:5: pipelines.a.enabled: expected true or false, got 1");
        assertThatThrownBy(() -> loader.load("s.yaml", "pipelines:\n  a:\n    mode: rot13\n", Sluice.class))
                .hasMessage("s.yaml:3:5: pipelines.a.mode: expected one of hmac, siv, got \"rot13\"");
        assertThatThrownBy(() -> loader.load("s.yaml", "pipelines:\n  a: 5\n", Sluice.class))
                .hasMessageStartingWith("s.yaml:2:3: pipelines.a: expected a mapping");
    }

    @Test
    void aBadDurationSaysWhatADurationLooksLike() {
        String yaml = "pipelines:\n  logins:\n    receivers:\n      - name: x\n        timeout: 20x\n";

        assertThatThrownBy(() -> loader.load("s.yaml", yaml, Sluice.class))
                .hasMessage("s.yaml:5:9: pipelines.logins.receivers[0].timeout: expected a duration like 20s or"
                        + " 500ms, got \"20x\"");
        assertThatThrownBy(() -> loader.load("s.yaml", "pipelines:\n  l:\n    pollWait: 20\n", Sluice.class))
                .hasMessageStartingWith("s.yaml:3:5: pipelines.l.pollWait: expected a duration like 20s or 500ms");
    }

    @Test
    void aCompactConstructorRuleIsReportedAtTheFieldItNames() {
        String yaml = "server:\n  port: 1\npipelines:\n  logins:\n    queue: q\n    batchSize: 0\n";

        assertThatThrownBy(() -> loader.load("s.yaml", yaml, Sluice.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("s.yaml:6:5: pipelines.logins.batchSize: batchSize must be 1 to 10000, got 0");
    }

    @Test
    void aRuleAboutAFieldNotWrittenIsReportedAtTheRecordsKey() {
        String yaml = "server:\n  port: 1\npipelines:\n  logins:\n    ratio: 2.5\n";

        assertThatThrownBy(() -> loader.load("s.yaml", yaml, Sluice.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("s.yaml:4:3: pipelines.logins: mode must be set when ratio is above 1");
    }

    record Hop(String name) {
    }

    /** A rule about one element of a list, as a processor's factory words it ("hops[1].name: …"). */
    record Route(List<Hop> hops) {
        Route {
            for (int i = 0; i < hops.size(); i++) {
                if (hops.get(i).name().equals(hops.get(0).name()) && i > 0) {
                    throw new IllegalArgumentException("hops[" + i + "].name: goes back to the first hop");
                }
            }
        }
    }

    @Test
    void aRuleNamingAListElementsKeyIsReportedAtThatKey() {
        String yaml = "hops:\n  - name: a\n  - name: a\n";

        assertThatThrownBy(() -> loader.load("s.yaml", yaml, Route.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("s.yaml:3:5: hops[1].name: goes back to the first hop");
    }

    @Test
    void anEmptyFileIsAClearError() throws Exception {
        Path file = write("# nothing yet\n\n");

        assertThatThrownBy(() -> loader.load(file, Sluice.class))
                .hasMessage(file + ": the file is empty; expected a mapping of settings");
        assertThatThrownBy(() -> loader.load("e.yaml", "", Sluice.class))
                .hasMessage("e.yaml: the file is empty; expected a mapping of settings");
    }

    @Test
    void brokenYamlAndBrokenReferencesPointAtTheirLine() {
        assertThatThrownBy(() -> loader.load("s.yaml", "server:\n  port: 1\n  - 2\n", Sluice.class))
                .hasMessage("s.yaml:3:3: not valid YAML: expected <block end>, but found '-'");
        assertThatThrownBy(() -> loader.load("s.yaml", "server:\n  password: ${OPEN\n", Sluice.class))
                .hasMessage("s.yaml:2:13: unclosed ${ (write $${ for a literal ${)");
        assertThatThrownBy(() -> loader.load("s.yaml", "server:\n  port: 1\n  port: 2\n", Sluice.class))
                .hasMessage("s.yaml:3:7: server: key 'port' appears twice");
    }

    @Test
    void commentsAndEscapesAreNotSubstituted() {
        Server server = new ConfigLoader(Map.of()).load("s.yaml",
                "# password: ${UNSET}\nserver:\n  port: 1\n  password: \"$${NOT_A_VAR}\"\n", Sluice.class).server();

        assertThat(server.password()).isEqualTo("${NOT_A_VAR}");
    }

    @Test
    void aVariableWithALineBreakIsRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("X", "a\nb")).load("s.yaml", "server:\n  password: ${X}\n",
                Sluice.class)).hasMessage("s.yaml:2:13: environment variable X contains a line break, which a one-line"
                + " substitution cannot hold");
    }
}
