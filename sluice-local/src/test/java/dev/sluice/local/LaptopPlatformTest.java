package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.local.LaptopPlatform.Verdict;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The platform choice from what the JVM reports; none of these machines is needed to run it. */
class LaptopPlatformTest {

    private static final Predicate<String> EVERYTHING_PACKAGED = resource -> true;
    private static final Predicate<Path> EVERYTHING_INSTALLED = file -> true;

    @Test
    void theFourLaptopsAsTheirJvmsNameThem() {
        assertThat(LaptopPlatform.of("Linux", "amd64")).contains(LaptopPlatform.LINUX_X86_64);
        assertThat(LaptopPlatform.of("Linux", "aarch64")).contains(LaptopPlatform.LINUX_ARM64);
        assertThat(LaptopPlatform.of("Mac OS X", "x86_64")).contains(LaptopPlatform.MACOS_X86_64);
        assertThat(LaptopPlatform.of("Mac OS X", "aarch64")).contains(LaptopPlatform.MACOS_ARM64);
        assertThat(Arrays.stream(LaptopPlatform.values()).map(LaptopPlatform::label))
                .containsExactly("Linux x86-64", "Linux arm64", "macOS x86-64", "macOS arm64");
    }

    @Test
    void anyOtherMachineGetsOneLineNamingItBeforeAnythingStarts() {
        for (List<String> machine : List.of(List.of("Windows 11", "amd64"), List.of("Linux", "ppc64le"),
                List.of("Linux", "x86"), List.of("FreeBSD", "amd64"))) {
            Verdict verdict = LaptopPlatform.check(machine.get(0), machine.get(1), EVERYTHING_PACKAGED,
                    EVERYTHING_INSTALLED);
            assertThat(verdict).isInstanceOf(Verdict.Unsupported.class);
            String line = ((Verdict.Unsupported) verdict).line();
            assertThat(line).doesNotContain("\n")
                    .startsWith("sluice: the embedded stack does not run on " + machine.get(0) + " " + machine.get(1))
                    .contains("Linux and macOS on x86-64 and arm64 only");
        }
    }

    @Test
    void eachOfTheFourIsReadyWhenItsNativesAreThere() {
        for (LaptopPlatform platform : LaptopPlatform.values()) {
            assertThat(LaptopPlatform.of(platform.osName(), platform.osArch())).contains(platform);
            assertThat(LaptopPlatform.check(platform.osName(), platform.osArch(), EVERYTHING_PACKAGED,
                    EVERYTHING_INSTALLED)).isEqualTo(new Verdict.Ready(platform));
        }
    }

    @Test
    void eachPlatformNamesItsOwnNativesAndNoTwoShareOne() {
        Set<String> all = Arrays.stream(LaptopPlatform.values()).flatMap(p -> p.packagedNatives().stream())
                .collect(Collectors.toSet());
        assertThat(all).hasSize(3 * LaptopPlatform.values().length)
                .contains("postgres-darwin-arm_64.txz", "redis-server-6.2.7-linux-arm64");
    }

    @Test
    void aBuildWithoutThePlatformsPostgresSaysWhichArchiveIsMissing() {
        Verdict verdict = LaptopPlatform.check("Linux", "aarch64",
                resource -> !resource.equals("postgres-linux-arm_64.txz"), EVERYTHING_INSTALLED);
        assertThat(verdict).isEqualTo(new Verdict.Unsupported("sluice: this build carries no "
                + "postgres-linux-arm_64.txz for Linux arm64, so the embedded stack cannot start here; build the jar "
                + "with sluice-local's dependencies (docs/operations.md)"));
    }

    @Test
    void appleSiliconWithoutHomebrewOpenSslIsToldToInstallIt() {
        Verdict verdict = LaptopPlatform.check("Mac OS X", "aarch64", EVERYTHING_PACKAGED,
                file -> !file.toString().contains("openssl@3"));
        assertThat(verdict).isInstanceOf(Verdict.Unsupported.class);
        assertThat(((Verdict.Unsupported) verdict).line()).contains("macOS arm64", "brew install openssl@3",
                "/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib is missing");
    }

    @Test
    void aLinuxWithoutOpenSsl3IsToldToInstallItBeforeRedisFailsToLoad() {
        Verdict verdict = LaptopPlatform.check("Linux", "amd64", EVERYTHING_PACKAGED,
                file -> !file.getFileName().toString().equals("libssl.so.3"));
        assertThat(verdict).isEqualTo(new Verdict.Unsupported("sluice: on Linux x86-64 the embedded Redis needs "
                + "OpenSSL 3 (libssl.so.3 is in none of the system's library folders): install it (Debian, Ubuntu: "
                + "`apt install libssl3`) and start again"));
        assertThat(LaptopPlatform.check("Linux", "amd64", EVERYTHING_PACKAGED,
                file -> file.toString().equals("/usr/lib64/libssl.so.3") || file.toString().endsWith("crypto.so.3")))
                .as("any one of the library folders will do").isEqualTo(new Verdict.Ready(LaptopPlatform.LINUX_X86_64));
    }

    @Test
    void intelMacsRunWithoutTheLakesDuckDbPartsAndAreToldSo() {
        // DuckDB's jar carries no macOS x86-64 library (linux amd64/arm64, macos arm64, windows amd64 only).
        Verdict verdict = LaptopPlatform.check("Mac OS X", "x86_64",
                resource -> !resource.startsWith("libduckdb_java"), EVERYTHING_INSTALLED);
        assertThat(verdict).isEqualTo(new Verdict.Limited(LaptopPlatform.MACOS_X86_64, "sluice: DuckDB ships no "
                + "native library for macOS x86-64: the lake's compaction, queries and recovery after a crash will "
                + "fail here; logins, playtime and tracking run"));
    }

    @Test
    void thisMachineIsOneOfTheFourWithPostgresAndRedisOnTheClassPath() {
        Verdict verdict = LaptopPlatform.check();
        // DuckDB is not a dependency of this module, so the lake's line may come; Postgres and Redis must be there.
        assertThat(verdict).isInstanceOfAny(Verdict.Ready.class, Verdict.Limited.class);
    }
}
