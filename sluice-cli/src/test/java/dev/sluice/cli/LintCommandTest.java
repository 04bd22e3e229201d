package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.ConfigProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice lint} checks files without reaching anything and shows every problem at once: one line per problem,
 * {@code file:line:column: key.path: rule}, then a summary; exit 0 clean, 1 with problems, 2 on a usage error.
 */
class LintCommandTest {

    /**
     * A complete user file: the orders example with its values written out. {@code %s} is the port every endpoint
     * points at. Lines: aws 1-3, postgres 4-5, keys 6-7, redis 8 (the shipped playtime's sink needs it), pipelines
     * 9, orders 10, source 11-13, processors 14-25, sink 26-33, errors 34-36.
     */
    private static String orders(int port) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {sqs: "http://127.0.0.1:%1$d", s3: "http://127.0.0.1:%1$d"}
                postgres:
                  url: jdbc:postgresql://127.0.0.1:%1$d/sluice
                keys:
                  keysetFile: /nonexistent/sluice-keyset.json
                redis: {url: "redis://127.0.0.1:%1$d"}
                pipelines:
                  orders:
                    source:
                      type: sqs
                      queue: orders
                    processors:
                      - id: parse
                        type: parse_json
                      - id: validate
                        type: schema
                        fields:
                          order_id: {type: string, maxLength: 64}
                          email: {type: string, maxLength: 254}
                          amount: {type: number}
                      - id: mask
                        type: mask
                        fields: {email: siv}
                    sink:
                      type: postgres_table
                      table: orders
                      key: source_message_id
                      columns:
                        order_id: order_id
                        email: email
                        amount: amount
                    errors:
                      type: postgres_errors
                      table: orders_errors
                """.formatted(port);
    }

    private static final int CLOSED_PORT = 9;

    private static Path write(Path dir, String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aValidFileIsCleanAndNothingIsReached(@TempDir Path dir) throws IOException {
        // Every endpoint at a port that listens but is never served: any connection attempt would wait there.
        try (ServerSocketChannel listening = ServerSocketChannel.open()) {
            listening.bind(new InetSocketAddress("127.0.0.1", 0));
            listening.configureBlocking(false);
            Path file = write(dir, "sluice.yaml", orders(listening.socket().getLocalPort()));

            Cli.Result result = Cli.run("lint", file.toString());

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(result.outLines()).as("%s", result).containsExactly(file + ": ok");
            assertThat(result.err()).isEmpty();
            assertThat(listening.accept()).as("no connection was made to any endpoint").isNull();
        }
    }

    @Test
    void endpointsAtAClosedPortDoNotMatterToLint(@TempDir Path dir) throws IOException {
        Path file = write(dir, "sluice.yaml", orders(CLOSED_PORT));

        Cli.Result result = Cli.run("lint", file.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    /** Each family of rule, written into the valid file; the line and the words that must be on it. */
    static Stream<Arguments> rules() {
        String valid = orders(CLOSED_PORT);
        return Stream.of(
                Arguments.of("unknown plugin type", valid.replace("type: sqs", "type: sqss"), 12,
                        List.of("pipelines.orders.source.type", "unknown source type 'sqss'", "known:", "sqs")),
                Arguments.of("unknown key", valid.replace("queue: orders", "queue: orders\n      waitTim: 5s"), 14,
                        List.of("unknown key 'waitTim'", "pipelines.orders.source")),
                Arguments.of("wrong type", valid.replace("type: parse_json", "type: parse_json\n        maxBodyBytes: lots"),
                        17, List.of("pipelines.orders.processors[0].maxBodyBytes", "expected an integer", "\"lots\"")),
                Arguments.of("a rule of a record", valid.replace("table: orders\n", "table: \"or ders\"\n"), 28,
                        List.of("pipelines.orders.sink.table", "'or ders'")),
                Arguments.of("a processor needing an undeclared field",
                        valid.replace("fields: {email: siv}", "fields: {email: siv, phone: hmac}"), 25,
                        List.of("pipelines.orders.processors[2].fields.phone", "no field 'phone' reaches this point",
                                "order_id, email, amount")),
                Arguments.of("a mask on a field that is no string",
                        valid.replace("fields: {email: siv}", "fields: {email: siv, amount: hmac}"), 25,
                        List.of("pipelines.orders.processors[2].fields.amount", "field 'amount' is", "string")),
                Arguments.of("a sink column mapped to no field",
                        valid.replace("amount: amount\n", "amount: total\n"), 33,
                        List.of("pipelines.orders.sink.columns.amount", "no field 'total' reaches this point")),
                Arguments.of("two pipelines reading one queue", valid.replace("queue: orders", "queue: login-queue"), 11,
                        List.of("pipelines.orders.source", "pipelines logins and orders both read",
                                "login-queue")),
                Arguments.of("an override of no pipeline", valid + "  logns:\n    runner: {batchSize: 5}\n", 37,
                        List.of("pipelines.logns", "no pipeline named 'logns' is shipped to override")),
                Arguments.of("a section", valid.replace("region: us-east-1", "region: us-east-1\n  retries: 3"), 3,
                        List.of("unknown key 'retries'", "aws")),
                Arguments.of("a definition key", valid.replace("    errors:\n", "    retries: 3\n    errors:\n"), 34,
                        List.of("pipelines.orders.retries", "unknown key 'retries' in a pipeline definition")),
                Arguments.of("not YAML", valid.replace("queue: orders", "queue: [orders"), 14,
                        List.of("not valid YAML")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleIsOneLineNamingFileLineAndKey(String name, String yaml, int line, List<String> fragments,
                                                @TempDir Path dir) throws IOException {
        Path file = write(dir, "sluice.yaml", yaml);

        Cli.Result result = Cli.run("lint", file.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).as("%s", result).hasSize(2).last().isEqualTo(file + ": 1 error");
        assertThat(result.outLines().getFirst()).startsWith(file + ":" + line + ":").contains(fragments);
    }

    @Test
    void everyProblemOfAFileIsShownAtOnceInLineOrder(@TempDir Path dir) throws IOException {
        String yaml = orders(CLOSED_PORT)
                .replace("region: us-east-1", "region: us-east-1\n  retries: 3")            // line 3
                .replace("queue: orders", "queue: orders\n      waitTim: 5s\n      maxMesages: 3") // 15, 16
                .replace("fields: {email: siv}", "fields: {email: siv, phone: hmac}")           // 28
                .replace("key: source_message_id", "key: source_message_id\n      batch: 5")     // 33
                .replace("table: orders_errors", "table: orders_errors\n      tabel: x");       // 41
        Path file = write(dir, "sluice.yaml", yaml);

        Cli.Result result = Cli.run("lint", file.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        List<String> lines = result.outLines();
        assertThat(lines).as("%s", result).hasSize(7).last().isEqualTo(file + ": 6 errors");
        assertThat(lines.subList(0, 6)).as("%s", result).satisfiesExactly(
                l -> assertThat(l).startsWith(file + ":3:").contains("retries"),
                l -> assertThat(l).startsWith(file + ":15:").contains("waitTim"),
                l -> assertThat(l).startsWith(file + ":16:").contains("maxMesages"),
                l -> assertThat(l).startsWith(file + ":28:").contains("phone"),
                l -> assertThat(l).startsWith(file + ":33:").contains("batch"),
                l -> assertThat(l).startsWith(file + ":41:").contains("tabel"));
    }

    @Test
    void eachFileIsCheckedOverTheShippedDefinitionsAndAllAreReported(@TempDir Path dir) throws IOException {
        Path good = write(dir, "good.yaml", orders(CLOSED_PORT));
        Path bad = write(dir, "bad.yaml", orders(CLOSED_PORT).replace("type: sqs", "type: sqss"));

        Cli.Result result = Cli.run("lint", good.toString(), bad.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.outLines()).as("%s", result).hasSize(2).last().isEqualTo("2 files: 1 error");
        assertThat(result.outLines().getFirst()).startsWith(bad + ":12:");
    }

    /**
     * dedupe needs its store's database to be built, so lint cannot know what it does to the fields; the files sink
     * after it, whose parquet format needs declared fields, must not be blamed for that.
     */
    @Test
    void aStepThatNeedsAServerLeavesTheRestUnblamed(@TempDir Path dir) throws IOException {
        Path file = write(dir, "sluice.yaml", orders(CLOSED_PORT).substring(0, orders(CLOSED_PORT).indexOf("    sink:"))
                .replace("      - id: mask\n        type: mask\n        fields: {email: siv}\n",
                        "      - {id: dedupe, type: dedupe, key: order_id}\n") + """
                    sink: {type: files, bucket: orders, format: parquet}
                    errors: {type: postgres_errors, table: orders_errors}
                """);

        Cli.Result result = Cli.run("lint", file.toString());

        assertThat(Files.readString(file)).contains("type: dedupe", "format: parquet");
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.outLines()).containsExactly(file + ": ok");
    }

    @Test
    void aFileThatDoesNotExistIsAUsageError(@TempDir Path dir) {
        Cli.Result result = Cli.run("lint", dir.resolve("missing.yaml").toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("sluice: lint: no such file: " + dir.resolve("missing.yaml"));
    }

    @Test
    void theBuiltInConfigurationAndTheShippedDefinitionsAreClean() {
        ConfigProblems problems = ConfigProblems.collecting();

        ConfigSource.lint(null, Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:9/sluice"), problems);

        assertThat(problems.all()).extracting(ConfigException::getMessage).isEmpty();
    }

    @Test
    void theBuiltInConfigurationNeedsWhatRunNeedsFromTheEnvironment() {
        ConfigProblems problems = ConfigProblems.collecting();

        ConfigSource.lint(null, Map.of(), problems);

        assertThat(problems.all()).extracting(ConfigException::getMessage).singleElement().asString()
                .startsWith("built-in sluice-default.yaml:12:").contains("SLUICE_POSTGRES_URL is not set");
    }

    /** What stops run and check at the first problem is each reported by lint, at the same line. */
    static Stream<Arguments> whatStopsRun() {
        return ConfigErrorsTest.brokenConfigs().filter(a -> a.get()[0].equals("check"))
                .map(a -> Arguments.of(a.get()[1], a.get()[2], a.get()[3], a.get()[4]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatStopsRun")
    void whatStopsRunIsALintError(String name, String yaml, int line, List<String> fragments, @TempDir Path dir)
            throws IOException {
        Path file = write(dir, "sluice.yaml", yaml);

        Cli.Result result = Cli.run("lint", file.toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.outLines()).as("%s", result).anySatisfy(l -> assertThat(l)
                .startsWith(file + ":" + line + ":").contains(fragments));
    }
}
