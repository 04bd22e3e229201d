package dev.sluice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The four laptops the embedded stack runs on (Linux and macOS, each on x86-64 and arm64) and the native parts each
 * needs: PostgreSQL's archive (zonky), the Redis binary (embedded-redis) and DuckDB's JNI library (the lake's
 * compaction, queries and crash recovery), plus the system libraries that Redis build loads (OpenSSL 3 on Linux x86-64
 * and, from Homebrew, on Apple Silicon). {@code sluice demo} and {@code sluice local} ask {@link #check} before
 * starting anything, so an unsupported machine gets one line naming what is missing instead of a server's stack trace
 * half-way through the start.
 */
public enum LaptopPlatform {
    // embedded-redis's Linux x86-64 build links the system's OpenSSL 3; its arm64 build is static.
    LINUX_X86_64("Linux x86-64", "Linux", "amd64", "postgres-linux-x86_64.txz", "redis-server-6.2.6-v5-linux-amd64",
            "libduckdb_java.so_linux_amd64", List.of(SharedLibrary.linuxOpenSsl3("libssl.so.3"),
                    SharedLibrary.linuxOpenSsl3("libcrypto.so.3"))),
    LINUX_ARM64("Linux arm64", "Linux", "aarch64", "postgres-linux-arm_64.txz", "redis-server-6.2.7-linux-arm64",
            "libduckdb_java.so_linux_arm64", List.of()),
    MACOS_X86_64("macOS x86-64", "Mac OS X", "x86_64", "postgres-darwin-x86_64.txz",
            "redis-server-6.2.6-v5-darwin-amd64", "libduckdb_java.so_macos_amd64", List.of()),
    // embedded-redis's arm64 build links Homebrew's OpenSSL 3 by its absolute path; its x86-64 build links none.
    MACOS_ARM64("macOS arm64", "Mac OS X", "aarch64", "postgres-darwin-arm_64.txz",
            "redis-server-6.2.6-v5-darwin-arm64", "libduckdb_java.so_macos_arm64", List.of(
                    SharedLibrary.at("Homebrew's OpenSSL 3", "/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib",
                            "run `brew install openssl@3`"),
                    SharedLibrary.at("Homebrew's OpenSSL 3", "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib",
                            "run `brew install openssl@3`")));

    /**
     * A shared library the Redis binary loads, found at any of {@code places}.
     *
     * @param needs what the user would install, as the line names it
     * @param fix   how, as the line says it
     */
    private record SharedLibrary(String needs, List<Path> places, String fix) {
        /** Where Linux distributions keep shared libraries (Debian's multiarch folder first). */
        private static final List<Path> LINUX_FOLDERS = List.of(Path.of("/lib/x86_64-linux-gnu"),
                Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"),
                Path.of("/usr/lib"));

        static SharedLibrary at(String needs, String path, String fix) {
            return new SharedLibrary(needs, List.of(Path.of(path)), fix);
        }

        /** Debian 12, Ubuntu 22.04, Fedora 36 and later have OpenSSL 3; older ones need it installed. */
        static SharedLibrary linuxOpenSsl3(String fileName) {
            return new SharedLibrary("OpenSSL 3", LINUX_FOLDERS.stream().map(f -> f.resolve(fileName)).toList(),
                    "install it (Debian, Ubuntu: `apt install libssl3`)");
        }

        String missing() {
            return places.size() == 1 ? places.getFirst() + " is missing"
                    : places.getFirst().getFileName() + " is in none of the system's library folders";
        }
    }

    private final String label;
    private final String osName;
    private final String osArch;
    private final String postgresArchive;
    private final String redisBinary;
    private final String duckdbLibrary;
    private final List<SharedLibrary> redisLibraries;

    LaptopPlatform(String label, String osName, String osArch, String postgresArchive, String redisBinary,
                   String duckdbLibrary, List<SharedLibrary> redisLibraries) {
        this.label = label;
        this.osName = osName;
        this.osArch = osArch;
        this.postgresArchive = postgresArchive;
        this.redisBinary = redisBinary;
        this.duckdbLibrary = duckdbLibrary;
        this.redisLibraries = redisLibraries;
    }

    /** How users name it: {@code macOS arm64}. */
    public String label() {
        return label;
    }

    /** {@code os.name} as this platform's JVMs report it. */
    public String osName() {
        return osName;
    }

    /** {@code os.arch} as this platform's JVMs report it: {@code x86_64} on an Intel Mac, {@code amd64} on Linux. */
    public String osArch() {
        return osArch;
    }

    /** The class-path resources of this platform's natives, as the runnable jar must carry them. */
    public List<String> packagedNatives() {
        return List.of(postgresArchive, redisBinary, duckdbLibrary);
    }

    /**
     * The platform of {@code os.name} and {@code os.arch} as the JVM reports them ({@code Linux}/{@code Mac OS X};
     * {@code amd64}/{@code x86_64}/{@code aarch64}), or empty for any other machine.
     */
    public static Optional<LaptopPlatform> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (os.startsWith("linux")) {
            return x86 ? Optional.of(LINUX_X86_64) : arm ? Optional.of(LINUX_ARM64) : Optional.empty();
        }
        if (os.startsWith("mac")) {
            return x86 ? Optional.of(MACOS_X86_64) : arm ? Optional.of(MACOS_ARM64) : Optional.empty();
        }
        return Optional.empty();
    }

    /** What the stack may do on this machine: start, start with a warning, or not start at all (one line why). */
    public sealed interface Verdict {
        /** Everything the demo needs is here. */
        record Ready(LaptopPlatform platform) implements Verdict {
        }

        /** The stack starts; {@code line} says which part will not work. */
        record Limited(LaptopPlatform platform, String line) implements Verdict {
        }

        /** Nothing should start; {@code line} names the platform and what is missing. */
        record Unsupported(String line) implements Verdict {
        }
    }

    /** {@link #check(String, String, Predicate, Predicate)} for this JVM, its class path and its file system. */
    public static Verdict check() {
        ClassLoader loader = LaptopPlatform.class.getClassLoader();
        return check(System.getProperty("os.name"), System.getProperty("os.arch"),
                resource -> loader.getResource(resource) != null, Files::isRegularFile);
    }

    /**
     * The verdict for a machine: {@code packaged} says whether a class-path resource is there, {@code installed}
     * whether a file exists. Lines name the machine as the JVM does when it is none of the four.
     */
    public static Verdict check(String osName, String osArch, Predicate<String> packaged, Predicate<Path> installed) {
        Optional<LaptopPlatform> known = of(osName, osArch);
        if (known.isEmpty()) {
            return new Verdict.Unsupported("sluice: the embedded stack does not run on " + osName + " " + osArch
                    + ": it carries PostgreSQL and Redis for Linux and macOS on x86-64 and arm64 only; "
                    + "on Windows use WSL 2, elsewhere docker compose (docs/operations.md)");
        }
        LaptopPlatform platform = known.get();
        List<String> missing = List.of(platform.postgresArchive, platform.redisBinary).stream()
                .filter(packaged.negate()).toList();
        if (!missing.isEmpty()) {
            return new Verdict.Unsupported("sluice: this build carries no " + String.join(" or ", missing) + " for "
                    + platform.label + ", so the embedded stack cannot start here; build the jar with sluice-local's "
                    + "dependencies (docs/operations.md)");
        }
        Optional<SharedLibrary> absent = platform.redisLibraries.stream()
                .filter(library -> library.places().stream().noneMatch(installed)).findFirst();
        if (absent.isPresent()) {
            SharedLibrary library = absent.get();
            return new Verdict.Unsupported("sluice: on " + platform.label + " the embedded Redis needs "
                    + library.needs() + " (" + library.missing() + "): " + library.fix() + " and start again");
        }
        if (!packaged.test(platform.duckdbLibrary)) {
            return new Verdict.Limited(platform, "sluice: DuckDB ships no native library for " + platform.label
                    + ": the lake's compaction, queries and recovery after a crash will fail here; "
                    + "logins, playtime and tracking run");
        }
        return new Verdict.Ready(platform);
    }
}
