package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    private static final Map<String, String> AWKWARD = awkwardValues();

    @TempDir
    Path directory;

    private static Map<String, String> awkwardValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PLAIN", "jdbc:postgresql://127.0.0.1:5432/sluice?user=postgres&ssl=false");
        values.put("SPACES", "  two  spaces  ");
        values.put("SINGLE_QUOTES", "it's 'quoted'");
        values.put("DOUBLE_QUOTES", "say \"hi\"");
        values.put("SHELL_SYNTAX", "$HOME `id` $(id) \\n ; | & * ?");
        values.put("NEWLINE", "first\nsecond");
        values.put("EMPTY", "");
        values.put("UNICODE", "café ☕");
        return values;
    }

    @Test
    void valuesRoundTrip() {
        Path file = directory.resolve("env");

        EnvFile.write(file, AWKWARD);

        assertThat(EnvFile.read(file)).containsExactlyEntriesOf(AWKWARD);
    }

    @Test
    void theFileIsReadableByItsOwnerOnlyEvenWhenItExistedBefore() throws Exception {
        Path file = directory.resolve("env");
        Files.writeString(file, "OLD='value'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        EnvFile.write(file, Map.of("AWS_SECRET_ACCESS_KEY", "x"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(EnvFile.read(file)).containsExactly(Map.entry("AWS_SECRET_ACCESS_KEY", "x"));
        try (var leftovers = Files.list(directory)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void aShellSourcingTheFileSeesTheSameValues() throws Exception {
        Path file = directory.resolve("env");
        EnvFile.write(file, AWKWARD);
        Path printed = directory.resolve("printed");

        Process shell = new ProcessBuilder("sh", "-c",
                "set -a; . \"$1\"; printf '%s\\0' \"$SINGLE_QUOTES\" \"$SHELL_SYNTAX\" \"$NEWLINE\" \"$SPACES\"",
                "sh", file.toString())
                .redirectOutput(printed.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();

        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).isZero();
        assertThat(Files.readString(printed, StandardCharsets.UTF_8).split("\0")).containsExactly(
                AWKWARD.get("SINGLE_QUOTES"), AWKWARD.get("SHELL_SYNTAX"), AWKWARD.get("NEWLINE"), AWKWARD.get("SPACES"));
    }

    @Test
    void aKeyThatIsNoShellNameIsRefused() {
        assertThatThrownBy(() -> EnvFile.write(directory.resolve("env"), Map.of("NOT-A-NAME", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT-A-NAME");
    }

    @Test
    void aBrokenFileNamesItsLine() throws Exception {
        Path file = directory.resolve("env");
        Files.writeString(file, "# comment\nGOOD='yes'\nBAD='never closed\n");

        assertThatThrownBy(() -> EnvFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":3: unterminated single quote");
    }
}
