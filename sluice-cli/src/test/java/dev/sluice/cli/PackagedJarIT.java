package dev.sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runnable jar as users get it: shading must keep every class and resource the commands need (a dependency
 * that is only on the test classpath passes every other test and fails here).
 */
class PackagedJarIT {
    @TempDir
    Path dir;

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-jar", System.getProperty("sluice.jar")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
    }

    private String output() throws IOException {
        Path out = dir.resolve("out.txt");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void printsItsVersion() throws Exception {
        Process p = start("--version");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output()).startsWith("sluice 0.1.0");
    }

    @Test
    void localStartsTheEmbeddedStackWritesItsEnvironmentAndStopsOnCtrlC() throws Exception {
        Process local = start("local", "--data-dir", "stack");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> output().contains("Ctrl-C stops the stack")
                    || !local.isAlive());
            assertThat(output()).contains("Environment written to");
            Map<String, String> env = dev.sluice.local.EnvFile.read(dir.resolve("stack").resolve("env"));
            assertThat(env).containsKeys("AWS_ENDPOINT_URL_SQS", "SLUICE_POSTGRES_URL", "SLUICE_KEYSET_FILE");
            assertThat(Files.exists(dir.resolve("stack/postgres/PG_VERSION"))).isTrue();

            new ProcessBuilder("kill", "-INT", Long.toString(local.pid())).start().waitFor();
            assertThat(local.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            local.destroyForcibly();
        }
        assertThat(output()).doesNotContain("Exception", "sluice: ");
    }
}
