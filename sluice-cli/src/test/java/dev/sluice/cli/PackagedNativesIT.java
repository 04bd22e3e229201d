package dev.sluice.cli;

import dev.sluice.local.LaptopPlatform;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar carries the natives of the four laptops `sluice demo` supports. Only this machine's are ever
 * started by the tests (no macOS or arm64 machine runs them), so this listing is what guards the other three.
 */
class PackagedNativesIT {

    @Test
    void theJarCarriesPostgresAndRedisForTheFourLaptopsAndDuckDbWhereItShipsOne() throws IOException {
        Set<String> entries;
        try (JarFile jar = new JarFile(Path.of(System.getProperty("sluice.jar")).toFile())) {
            entries = jar.stream().map(JarEntry::getName).collect(Collectors.toSet());
        }
        for (LaptopPlatform platform : LaptopPlatform.values()) {
            List<String> natives = platform.packagedNatives();
            if (platform == LaptopPlatform.MACOS_X86_64) {
                // DuckDB's jar has no macOS x86-64 library: LaptopPlatform says so on such a Mac instead.
                assertThat(entries).as(platform.label()).contains(natives.get(0), natives.get(1))
                        .doesNotContain(natives.get(2));
            } else {
                assertThat(entries).as(platform.label()).containsAll(natives);
            }
        }
    }

    @Test
    void onTheseFourTheJarsOwnCheckLetsTheStackStart() throws IOException {
        try (JarFile jar = new JarFile(Path.of(System.getProperty("sluice.jar")).toFile())) {
            for (LaptopPlatform platform : LaptopPlatform.values()) {
                LaptopPlatform.Verdict verdict = LaptopPlatform.check(platform.osName(), platform.osArch(),
                        resource -> jar.getEntry(resource) != null, file -> true);
                assertThat(verdict).as(platform.label()).isNotInstanceOf(LaptopPlatform.Verdict.Unsupported.class);
            }
        }
    }
}
