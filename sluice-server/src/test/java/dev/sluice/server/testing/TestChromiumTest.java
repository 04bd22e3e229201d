package dev.sluice.server.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestChromiumTest {

    @Test
    void aMissingBrowserSkipsWithWhatIsMissingButFailsOnCi(@TempDir Path dir) {
        Path binary = dir.resolve("chromium");
        Path driver = dir.resolve("chromedriver");

        assertThatThrownBy(() -> TestChromium.requireInstalled(binary, driver, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(binary + " (Debian package chromium)")
                .hasMessageContaining(driver + " (Debian package chromium-driver)")
                .hasMessageContaining("skipping");
        assertThatThrownBy(() -> TestChromium.requireInstalled(binary, driver, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CI=true");
    }

    @Test
    void anInstalledBrowserPasses() {
        Path sh = Path.of("/bin/sh");
        assertThatCode(() -> TestChromium.requireInstalled(sh, sh, true)).doesNotThrowAnyException();
    }
}
