package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.LaptopPlatform;
import dev.sluice.local.LaptopPlatform.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code sluice local} writes: an owner-only env file a shell can source. */
class LocalStackTest {
    static final List<String> KEYS = List.of("AWS_ENDPOINT_URL_SQS", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SLUICE_POSTGRES_URL", "SLUICE_KEYSET_FILE", "AWS_ENDPOINT_URL_KINESIS");

    @Test
    void anUnsupportedMachineGetsItsOneLineAndNothingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Verdict windows = LaptopPlatform.check("Windows 11", "amd64", resource -> true, file -> true);

        assertThat(LocalStack.platformAllowsStart(windows, new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(((Verdict.Unsupported) windows).line()
                + System.lineSeparator());
    }

    @Test
    void aLimitedMachineStartsAfterItsLineAndAReadyOneSaysNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Verdict intelMac = new Verdict.Limited(LaptopPlatform.MACOS_X86_64, "sluice: the lake's part is missing");

        assertThat(LocalStack.platformAllowsStart(new Verdict.Ready(LaptopPlatform.LINUX_ARM64), stream)).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(LocalStack.platformAllowsStart(intelMac, stream)).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("sluice: the lake's part is missing" + System.lineSeparator());
    }

    @Test
    void theEnvFileIsOwnerOnlyAndAShellSourcingItGetsTheStacksEndpoints(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data dir");  // a space: the file must quote for the shell
        try (LocalStack local = LocalStack.start(data)) {
            Path file = local.writeEnvFile(data.resolve("env"));

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Map<String, String> expected = local.environment();
            assertThat(expected).containsKeys(KEYS.toArray(String[]::new));
            assertThat(expected.get(Keyset.ENV_KEYSET_FILE)).isEqualTo(local.keysetFile().toAbsolutePath().toString());
            assertThat(Files.readString(file)).contains(KEYS);

            Map<String, String> sourced = sourceInAShell(file);
            for (String key : KEYS) {
                assertThat(sourced).as(key).containsEntry(key, expected.get(key));
            }
            assertThat(Keyset.fromEnvironment(sourced).primaryId())
                    .isEqualTo(Keyset.readFrom(local.keysetFile()).primaryId());
        }
    }

    private static Map<String, String> sourceInAShell(Path file) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "set -a; . \"$1\"; set +a; env", "sh",
                file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, String> env = new HashMap<>();
        for (String line : output.lines().toList()) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return env;
    }
}
