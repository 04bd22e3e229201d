package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class VersionNumberTest {

    @ParameterizedTest
    @CsvSource({"0.96, 96000", "2.3.0, 2003000", "10, 10000000", "0.2.6, 2006", "3.7, 3007000", "0.60, 60000",
            "6.02, 6002000", "2.00, 2000000", "0, 0", "2146.999.999, 2146999999", "007.1, 7001000"})
    void encodesInOrderPreservingIntegers(String text, int encoded) {
        assertThat(VersionNumber.parse(text).encode()).isEqualTo(encoded);
        assertThat(VersionNumber.problem(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "1.2.3.4.5", "1.2.3.4", "1..2", "-1.0", " 1.0", "1.0 ", ".1", "1.", "1.2.",
            "+1", "1,2", "v1.2", "١.٢", "1.2-beta"})
    void refusesWhatIsNotAVersion(String text) {
        assertThat(VersionNumber.problem(text)).contains("not a version (1 to 3 dot-separated numbers)");
        assertThatThrownBy(() -> VersionNumber.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a version (1 to 3 dot-separated numbers)");
    }

    @Test
    void refusesPartsThatDoNotFitTheEncoding() {
        assertThat(VersionNumber.problem("99999999.1")).contains("major part exceeds 2146");
        assertThat(VersionNumber.problem("2147.0")).contains("major part exceeds 2146");
        assertThat(VersionNumber.problem("99999999999999999999999")).contains("major part exceeds 2146");
        assertThat(VersionNumber.problem("1.1000")).contains("minor part exceeds 999");
        assertThat(VersionNumber.problem("1.0.1000")).contains("patch part exceeds 999");
    }

    @Test
    void aSchemaReportsTheRuleWithTheFieldName() {
        RecordSchema schema = RecordSchema.of(FieldSpec.string("app_version").format(VersionNumber.FORMAT));
        var json = new JsonObjectParser().then(new Flattener()).then(schema);

        assertThat(json.apply("{\"app_version\":\"abc\"}"))
                .isEqualTo(dev.sluice.core.engine.Outcome.reject(
                        "app_version: not a version (1 to 3 dot-separated numbers)"));
        assertThat(json.apply("{\"app_version\":\"99999999.1\"}"))
                .isEqualTo(dev.sluice.core.engine.Outcome.reject("app_version: major part exceeds 2146"));
    }

    @Test
    void decodeInvertsEncode() {
        assertThat(VersionNumber.decode(2003000)).isEqualTo(new VersionNumber(2, 3, 0));
        assertThat(VersionNumber.decode(Integer.MAX_VALUE - 483_648)).isEqualTo(new VersionNumber(2146, 999, 999));
    }

    /** A version string of 1 to 3 parts, sometimes with leading zeros, from parts within {@code limit}s. */
    private static Gen<String> versionTexts(int majorLimit, int partLimit) {
        return integers().between(1, 3).zip(integers().between(0, majorLimit), integers().between(0, partLimit),
                integers().between(0, partLimit), integers().between(0, 1),
                (parts, major, minor, patch, zeros) -> {
                    String pad = zeros == 1 ? "0" : "";
                    return switch (parts) {
                        case 1 -> pad + major;
                        case 2 -> major + "." + pad + minor;
                        default -> major + "." + minor + "." + pad + patch;
                    };
                });
    }

    /** Components compared as numbers, left to right, missing parts being 0. */
    private static int componentOrder(String a, String b) {
        int[] x = components(a);
        int[] y = components(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] components(String text) {
        String[] parts = text.split("\\.");
        int[] values = new int[3];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i]);
        }
        return values;
    }

    @Test
    void integerOrderIsComponentOrderAndEncodingIsInjective() {
        for (int[] limits : new int[][] {{2146, 999}, {3, 3}}) {
            qt().withExamples(5_000).forAll(versionTexts(limits[0], limits[1]), versionTexts(limits[0], limits[1]))
                    .checkAssert((a, b) -> {
                        int ea = VersionNumber.parse(a).encode();
                        int eb = VersionNumber.parse(b).encode();
                        assertThat(Integer.signum(Integer.compare(ea, eb))).as("%s vs %s", a, b)
                                .isEqualTo(Integer.signum(componentOrder(a, b)));
                        assertThat(ea == eb).as("%s and %s encode alike only if equal", a, b)
                                .isEqualTo(componentOrder(a, b) == 0);
                        assertThat(ea).isNotNegative();
                    });
        }
    }

    @Test
    void decodeRoundTripsEveryGeneratedVersion() {
        qt().withExamples(5_000).forAll(integers().between(0, 2146), integers().between(0, 999),
                integers().between(0, 999)).checkAssert((major, minor, patch) -> {
                    VersionNumber version = new VersionNumber(major, minor, patch);
                    assertThat(VersionNumber.decode(version.encode())).isEqualTo(version);
                    assertThat(VersionNumber.parse(version.toString())).isEqualTo(version);
                });
    }

    @Test
    void theRecordRefusesPartsOutOfRange() {
        assertThatThrownBy(() -> new VersionNumber(2147, 0, 0)).hasMessage("major part must be 0 to 2146, got 2147");
        assertThat(Optional.of(new VersionNumber(1, 2, 3))).hasValueSatisfying(v -> assertThat(v).hasToString("1.2.3"));
    }
}
