package dev.sluice.pipelines.dailycounts;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DailyCountChartTest {

    private static final Instant NOW = Instant.parse("2026-11-22T18:00:00Z");

    @Test
    void drawsAValidPngOfTheAskedSize() throws IOException {
        List<DailyCounts.Day> days = new ArrayList<>();
        LocalDate first = LocalDate.parse("2026-10-24");
        for (int i = 0; i < 30; i++) {
            days.add(PlatformDays.day(first.plusDays(i), 40 + i * 3L, 25 + (i % 7) * 4L, i % 5 == 0 ? 2 : 0));
        }
        byte[] png = new DailyCountChart().render(new DailyCounts("submission_success", NOW, days));

        BufferedImage image = decode(png);
        assertThat(image.getWidth()).isEqualTo(DailyCountChart.DEFAULT_WIDTH);
        assertThat(image.getHeight()).isEqualTo(DailyCountChart.DEFAULT_HEIGHT);
        // Kept for a human look: target/charts/submission_success.png.
        Path file = Path.of("target", "charts", "submission_success.png");
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    @Test
    void anEmptyReportIsAChartWithoutBars() throws IOException {
        List<DailyCounts.Day> days = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            days.add(PlatformDays.day(LocalDate.parse("2026-11-20").plusDays(i), 0, 0, 0));
        }
        byte[] png = new DailyCountChart(400, 300).render(new DailyCounts("registration_initiated", NOW, days));

        BufferedImage image = decode(png);
        assertThat(image.getWidth()).isEqualTo(400);
        assertThat(image.getHeight()).isEqualTo(300);
        Files.createDirectories(Path.of("target", "charts"));
        Files.write(Path.of("target", "charts", "empty.png"), png);
    }

    @Test
    void refusesAChartTooSmallToRead() {
        assertThatThrownBy(() -> new DailyCountChart(100, 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 200 x 200");
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("ImageIO reads it").isNotNull();
        return image;
    }
}
