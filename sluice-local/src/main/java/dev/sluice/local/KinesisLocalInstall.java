package dev.sluice.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the Kinesis emulator ({@code kinesis-local}, an npm package run with {@code node}) is installed. The build
 * installs it into {@code sluice-local/target/kinesis-local} and tests find it through the system property
 * {@value #DIRECTORY_PROPERTY}; from the jar, the {@code package.json} and lock shipped as resources are installed
 * with {@code npm ci} into {@code ./.sluice/kinesis-local} on first start and reused afterwards.
 */
final class KinesisLocalInstall {

    static final String DIRECTORY_PROPERTY = "sluice.kinesis-local.directory";
    static final Path DEFAULT_DIRECTORY = Path.of("./.sluice/kinesis-local");

    private static final String RESOURCES = "/dev/sluice/local/kinesis-local/";
    private static final List<String> PACKAGE_FILES = List.of("package.json", "package-lock.json");
    private static final Path MAIN = Path.of("node_modules", "kinesis-local", "main.js");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

    private KinesisLocalInstall() {
    }

    /** The directory to install into and run from: the build's install when the property names one, else the default. */
    static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
    }

    /** The emulator's entry point in {@code directory}, when it is installed there. */
    static Optional<Path> installed(Path directory) {
        Path main = directory.resolve(MAIN);
        return Files.isRegularFile(main) ? Optional.of(main.toAbsolutePath().normalize()) : Optional.empty();
    }

    /** Why the emulator cannot run here, or empty when it can (node on the PATH, and installed or npm to install it). */
    static Optional<String> unavailableReason(Path directory) {
        return unavailableReason(directory, System.getenv("PATH"));
    }

    /** {@link #unavailableReason(Path)} for the search path {@code path}. */
    static Optional<String> unavailableReason(Path directory, String path) {
        if (onPath("node", path).isEmpty()) {
            return Optional.of("node is not on the PATH (the Kinesis emulator is a Node.js program)");
        }
        if (installed(directory).isEmpty() && onPath("npm", path).isEmpty()) {
            return Optional.of("the Kinesis emulator is not installed in " + directory + " and npm is not on the PATH "
                    + "to install it");
        }
        return Optional.empty();
    }

    /**
     * Installs the emulator into {@code directory} unless it is there, and returns its entry point.
     *
     * @throws IllegalStateException when node or npm is missing or {@code npm ci} fails, with npm's output
     */
    static Path ensure(Path directory) {
        Optional<Path> main = installed(directory);
        if (main.isPresent()) {
            return main.get();
        }
        unavailableReason(directory).ifPresent(reason -> {
            throw new IllegalStateException("cannot run the Kinesis emulator: " + reason);
        });
        try {
            Files.createDirectories(directory);
            for (String file : PACKAGE_FILES) {
                try (InputStream in = KinesisLocalInstall.class.getResourceAsStream(RESOURCES + file)) {
                    if (in == null) {
                        throw new IllegalStateException("resource " + RESOURCES + file + " is missing from the jar");
                    }
                    Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path log = directory.resolve("npm-ci.log");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci of the Kinesis emulator in " + directory + " took longer than "
                        + INSTALL_TIMEOUT.toSeconds() + " s; its output: " + log);
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci of the Kinesis emulator in " + directory + " failed with exit "
                        + "code " + npm.exitValue() + ":\n" + Files.readString(log).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the Kinesis emulator into " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the Kinesis emulator", e);
        }
        return installed(directory).orElseThrow(() -> new IllegalStateException("npm ci in " + directory
                + " finished but " + MAIN + " is missing"));
    }

    private static Optional<Path> onPath(String program, String path) {
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
