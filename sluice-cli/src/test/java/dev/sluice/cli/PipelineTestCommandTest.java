package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.mask.Keyset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice test}: the pipeline tests shipped beside the seed definitions and the examples pass, and each kind of
 * bad test (a pipeline that does not exist, a field never emitted, broken YAML, an input its envelope does not
 * allow) is one line naming the file, the line and the case, while the file's other cases still run.
 */
class PipelineTestCommandTest {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root"));
    private static final Path SHIPPED = ROOT.resolve("sluice-pipelines/src/main/resources/sluice/pipelines");
    private static final Path EXAMPLES = ROOT.resolve("docs/examples");
    private static final String ORDER = "{order_id: o-1, email: ada@example.com, card_number: \"4111\", amount: 12.50,"
            + " currency: EUR, placed_at: 2026-12-07T10:15:00Z}";

    @Test
    void everyShippedPipelineTestPasses() {
        Cli.Result result = Cli.run("test", SHIPPED.toString(), EXAMPLES.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.outLines();
        long cases = lines.stream().filter(line -> line.startsWith("ok   ")).count();
        assertThat(lines.getLast()).isEqualTo(cases + " passed, 0 failed");
        for (String pipeline : List.of("logins", "playtime", "tracking", "orders", "clicks", "sessions")) {
            assertThat(lines).as(pipeline).anyMatch(line -> line.startsWith("ok   " + pipeline + ": "));
        }
    }

    @Test
    void aWrongExpectationFailsWithADiffAndExitOneThenPassesOnceFixed(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: an order in euros
                    input: {json: %s}
                    expect: {emit: {currency: USD, amount: 12.5}, partial: true}
                """.formatted(ORDER));

        Cli.Result red = Cli.run("test", test.toString());

        assertThat(red.exitCode()).as(red.toString()).isEqualTo(1);
        assertThat(red.out()).isEqualTo("""
                FAIL orders: an order in euros
                     currency: expected "USD"
                       actual   "EUR"
                0 passed, 1 failed
                """);

        Files.writeString(test, Files.readString(test).replace("currency: USD", "currency: EUR"));
        Cli.Result green = Cli.run("test", test.toString());

        assertThat(green.exitCode()).as(green.toString()).isZero();
        assertThat(green.out()).isEqualTo("ok   orders: an order in euros\n1 passed, 0 failed\n");
    }

    @Test
    void tokenOfSaysWhichValueATokenMasksUnderTheTestKeyset(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: the masked fields
                    input: {json: %s}
                    expect:
                      emit: {email: {tokenOf: ada@example.com}, card_number: {tokenOf: "4111"}}
                      partial: true
                  - name: another address
                    input: {json: %s}
                    expect:
                      emit: {email: {tokenOf: bob@example.com}, card_number: {tokenOf: "4112"}}
                      partial: true
                """.formatted(ORDER, ORDER));

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.outLines()).hasSize(7).startsWith("ok   orders: the masked fields",
                "FAIL orders: another address");
        assertThat(result.outLines().get(2)).isEqualTo("     email: expected the token of \"bob@example.com\" under the"
                + " test's keyset");
        assertThat(result.outLines().get(3)).startsWith("       actual   \"sv1.7e57c0de.")
                .endsWith(" (an siv token of \"ada@example.com\")");
        assertThat(result.outLines().get(5)).startsWith("       actual   \"hm1.7e57c0de.")
                .endsWith(" (an hmac token of another value)");
        assertThat(result.outLines().getLast()).isEqualTo("1 passed, 1 failed");
    }

    @Test
    void aCaseWithoutExpectFailsShowingWhatEachInputBecame(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: a draft
                    input:
                      - {json: %s}
                      - {body: "not json"}
                """.formatted(ORDER));

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines()).hasSize(4);
        assertThat(result.outLines().get(1)).startsWith("     input 1: no expect; this input became a record for the"
                + " sink: {\"order_id\":\"o-1\",\"email\":\"sv1.7e57c0de.");
        assertThat(result.outLines().get(2)).startsWith("     input 2: no expect; this input became a reject: body: not"
                + " valid JSON");
        assertThat(result.outLines().getLast()).isEqualTo("0 passed, 1 failed");
    }

    @Test
    void aShippedPipelineIsTestedFromTheJarAndAnotherKeysetClockAndEnvironmentAreTheTestsOwn(@TempDir Path dir)
            throws IOException {
        Keyset.generate().writeTo(dir.resolve("keys.json"));
        // An override file, as a user writes one for sluice run: its variable comes from the test's env.
        Files.writeString(dir.resolve("eu.yaml"), """
                pipelines:
                  logins:
                    processors:
                      - {id: mask, fields: {ip: hmac, device_id: siv}}
                      - id: derive
                        derive: [{field: create_date, processingDate: true}, {field: region, constant: "${REGION}"}]
                """);
        Path test = Files.writeString(dir.resolve("logins.test.yaml"), """
                pipeline: logins
                definition: eu.yaml
                clock: 2026-12-31T23:59:59+01:00
                keyset: keys.json
                env: {REGION: eu-west-1}
                cases:
                  - name: the override, the keyset, the clock and the variable
                    input: {json: {user_id: u-1, app_version: "1", device_type: ios, ip: 192.0.2.1, device_id: d-1}}
                    expect:
                      emit:
                        ip: {tokenOf: 192.0.2.1}
                        device_id: {tokenOf: d-1}
                        create_date: 2026-12-31
                        region: eu-west-1
                      partial: true
                  - name: not the built-in test keyset
                    input: {json: {user_id: u-1, app_version: "1", device_type: ios, ip: 192.0.2.1, device_id: d-1}}
                    expect: {emit: {ip: {startsWith: hm1.7e57c0de.}}, partial: true}
                """);
        Path shipped = Files.writeString(Files.createDirectory(dir.resolve("shipped")).resolve("logins.test.yaml"), """
                pipeline: logins
                cases:
                  - name: the shipped definition, with no file beside the test
                    input: {json: {user_id: u-1, app_version: "1", device_type: ios, ip: 192.0.2.1, device_id: d-1}}
                    expect: {emit: {device_id: {startsWith: hm1.7e57c0de.}, create_date: 2026-01-01}, partial: true}
                """);

        Cli.Result result = Cli.run("test", test.toString(), shipped.toString());

        assertThat(result.outLines()).hasSize(6).startsWith(
                "ok   logins: the override, the keyset, the clock and the variable",
                "FAIL logins: not the built-in test keyset");
        assertThat(result.outLines().get(2)).isEqualTo("     ip: expected to start with \"hm1.7e57c0de.\"");
        assertThat(result.outLines().subList(4, 6)).containsExactly(
                "ok   logins: the shipped definition, with no file beside the test", "2 passed, 1 failed");
    }

    @Test
    void aTestOfAPipelineThatDoesNotExistIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: ordrs
                definition: orders.yaml
                cases:
                  - {name: any, input: {body: "{}"}, expect: {reject: true}}
                """);

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines()).containsExactly("ERROR " + test + ":1:1: pipeline: no pipeline named 'ordrs'"
                + " in " + dir.resolve("orders.yaml") + " or the shipped definitions (known: logins, playtime,"
                + " tracking, lake, orders)", "0 passed, 1 failed");
    }

    @Test
    void anExpectedFieldThePipelineNeverEmitsFailsItsCaseAtItsLineAndTheOthersStillRun(@TempDir Path dir)
            throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: a phone number
                    input: {json: %s}
                    expect:
                      emit:
                        phone: "+49 30 123456"
                      partial: true
                """.formatted(ORDER) + AN_ORDER);

        onlyTheFirstCaseFails(Cli.run("test", test.toString()), "a phone number", test + ":7:9:"
                + " cases[0].expect.emit.phone: case 'a phone number': pipeline orders never emits field 'phone' (its"
                + " records hold order_id, email, card_number, amount, currency, placed_at, note)");
    }

    @Test
    void aMalformedTestFileIsOneErrorAtItsLineAndAMalformedCaseFailsAlone(@TempDir Path dir) throws IOException {
        Path broken = orders(dir, """
                pipeline: orders
                cases:
                  - name: [unclosed
                """);
        Cli.Result result = Cli.run("test", broken.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines().getFirst()).startsWith("ERROR " + broken + ":4:").contains("not valid YAML");

        Files.writeString(broken, """
                pipeline: orders
                cases:
                  - name: a typo in a key
                    input: {json: %s}
                    expcet: {emit: {order_id: o-1}, partial: true}
                """.formatted(ORDER) + AN_ORDER);
        onlyTheFirstCaseFails(Cli.run("test", broken.toString()), "a typo in a key", broken + ":5:5:"
                + " cases[0].expcet: case 'a typo in a key': unknown key 'expcet' in a case (known: name, processors,"
                + " input, expect)");
    }

    /** The case every file of these tests ends with: it passes, whatever is wrong with the case before it. */
    private static final String AN_ORDER = """
              - name: an order
                input: {json: %s}
                expect: {emit: {order_id: o-1}, partial: true}
            """.formatted(ORDER);

    private static void onlyTheFirstCaseFails(Cli.Result result, String name, String error) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines()).containsExactly("FAIL orders: " + name, "     " + error, "ok   orders: an order",
                "1 passed, 1 failed");
    }

    @Test
    void anInputNotValidForItsEnvelopeNamesTheFileLineAndCase(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: a Kinesis record to a queue
                    input: {kinesis: {SequenceNumber: "1", Data: e30=}}
                    expect: {reject: true}
                  - name: an SQS message without its body
                    input: {sqs: {MessageId: m-1, body: "{}"}}
                    expect: {reject: true}
                  - name: a body that is not the one its MD5 was taken of
                    input: {sqs: {MessageId: m-1, Body: "{}", MD5OfBody: 0123456789abcdef0123456789abcdef}}
                    expect: {reject: true}
                  - name: an SQS message as text that is not JSON
                    input: {sqs: "MessageId: m-1"}
                    expect: {reject: true}
                  - name: a body that is fine
                    input: {sqs: {MessageId: m-1, Body: "{}", MD5OfBody: 99914b932bd37a50b983c5e7c90ae93b}}
                    expect: {reject: {startsWith: "order_id: required field is missing"}}
                """);

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines()).containsExactly(
                "FAIL orders: a Kinesis record to a queue",
                "     " + test + ":4:13: cases[0].input.kinesis: case 'a Kinesis record to a queue': kinesis input:"
                        + " cannot reach this pipeline, whose source is sqs (this input is for kinesis sources)",
                "FAIL orders: an SQS message without its body",
                "     " + test + ":7:13: cases[1].input.sqs: case 'an SQS message without its body': sqs input:"
                        + " Body is required, as text",
                "FAIL orders: a body that is not the one its MD5 was taken of",
                "     " + test + ":10:13: cases[2].input.sqs: case 'a body that is not the one its MD5 was taken of':"
                        + " sqs input: MD5OfBody is not the MD5 of Body (SQS would not have delivered it)",
                "FAIL orders: an SQS message as text that is not JSON",
                "     " + test + ":13:13: cases[3].input.sqs: case 'an SQS message as text that is not JSON': sqs"
                        + " input: not valid JSON (line 1, column 1)",
                "ok   orders: a body that is fine",
                "1 passed, 4 failed");
    }

    @Test
    void aKinesisRecordWhoseDataIsNotBase64IsRefused(@TempDir Path dir) throws IOException {
        Files.copy(EXAMPLES.resolve("clicks.yaml"), dir.resolve("clicks.yaml"));
        Path test = Files.writeString(dir.resolve("clicks.test.yaml"), """
                pipeline: clicks
                cases:
                  - name: raw JSON where base64 belongs
                    input: {kinesis: {SequenceNumber: "1", Data: '{"click_id": "c-1"}'}}
                    expect: {reject: true}
                """);

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.outLines().get(1)).startsWith("     " + test + ":4:13: cases[0].input.kinesis: case 'raw"
                + " JSON where base64 belongs': kinesis input: Data must be base64, as Kinesis writes a record's"
                + " bytes");
    }

    @Test
    void aPathThatIsNotThereOrHoldsNoTestsIsAUsageError(@TempDir Path dir) {
        Cli.Result missing = Cli.run("test", dir.resolve("nothing.test.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("sluice test: no such file or directory: "
                + dir.resolve("nothing.test.yaml") + "\n");

        Cli.Result empty = Cli.run("test", dir.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).isEqualTo("sluice test: no *.test.yaml files under " + dir + "\n");

        Cli.Result option = Cli.run("test", "--verbose", dir.toString());
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err()).startsWith("sluice: unknown option '--verbose' for 'sluice test'");
    }

    @Test
    void aDirectoryIsSearchedForTestFilesOutsideBuildOutputAndHiddenFolders(@TempDir Path dir) throws IOException {
        orders(dir, """
                pipeline: orders
                cases:
                  - {name: any order, input: {json: %s}, expect: {emit: {order_id: o-1}, partial: true}}
                """.formatted(ORDER));
        for (String folder : List.of("target", ".git", "node_modules")) {
            Files.writeString(Files.createDirectory(dir.resolve(folder)).resolve("copy.test.yaml"), "not: a test");
        }

        Cli.Result result = Cli.run("test", dir.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("ok   orders: any order", "1 passed, 0 failed");
    }

    @Test
    void aSliceRunsOnlyTheProcessorsItNamesAndAnUnknownIdFailsItsCase(@TempDir Path dir) throws IOException {
        Path test = orders(dir, """
                pipeline: orders
                cases:
                  - name: parsed only
                    processors: [parse]
                    input: {json: {order_id: o-1, coupon: XMAS}}
                    expect: {emit: {order_id: o-1, coupon: XMAS}}
                  - name: a step that is not there
                    processors: [parse, enrich]
                    input: {json: {order_id: o-1}}
                    expect: {emit: {order_id: o-1}}
                """);

        Cli.Result result = Cli.run("test", test.toString());

        assertThat(result.outLines()).containsExactly(
                "ok   orders: parsed only",
                "FAIL orders: a step that is not there",
                "     " + test + ":8:5: cases[1].processors: case 'a step that is not there': pipeline orders has"
                        + " no processor with id 'enrich' (its ids: parse, validate, mask)",
                "1 passed, 1 failed");
    }


    /** The orders example beside a test file of {@code yaml}. */
    private static Path orders(Path dir, String yaml) throws IOException {
        Files.copy(EXAMPLES.resolve("orders.yaml"), dir.resolve("orders.yaml"));
        return Files.writeString(dir.resolve("orders.test.yaml"), yaml);
    }
}
