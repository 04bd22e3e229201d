package dev.sluice.server.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Headless Chromium for browser tests: Debian's {@code chromium} and {@code chromium-driver} at their fixed paths,
 * given to Selenium explicitly (so Selenium Manager never tries to download a driver or a browser), each browser with
 * a fresh profile directory of its own, deleted when it is closed.
 *
 * <p>When either binary is missing, the test is skipped with a message naming what is missing and the packages to
 * install, except when the environment variable {@code CI} is {@code true}: {@code .ci/run} installs them, so there
 * their absence fails the run.
 */
public final class TestChromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private TestChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a headless browser, or skips (fails on CI) the calling test when Chromium is not installed. */
    public static TestChromium start() {
        requireInstalled(BINARY, DRIVER, "true".equals(System.getenv("CI")));
        Path profile;
        try {
            profile = Files.createTempDirectory("sluice-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a profile directory for Chromium", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new TestChromium(driver, profile);
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw e;
        }
    }

    /** Aborts (skips) the test when a binary is missing, or throws when {@code onCi}. */
    static void requireInstalled(Path binary, Path driver, boolean onCi) {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(binary)) {
            missing.add(binary + " (Debian package chromium)");
        }
        if (!Files.isExecutable(driver)) {
            missing.add(driver + " (Debian package chromium-driver)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "headless Chromium is not installed: missing " + String.join(" and ", missing)
                + "; apt-get install -y chromium chromium-driver";
        if (onCi) {
            throw new IllegalStateException(why + " (CI=true, where browser tests must run)");
        }
        Assumptions.abort(why + "; skipping the browser test (it fails instead when CI=true)");
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Saves what the browser shows as a PNG at {@code file}, creating its directory. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the screenshot " + file, e);
        }
    }

    /** Quits the browser and its driver and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover profile in the temp directory is harmless.
        }
    }
}
