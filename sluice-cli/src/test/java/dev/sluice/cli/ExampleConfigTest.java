package dev.sluice.cli;

import dev.sluice.core.mask.MaskMode;
import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.pipelines.lake.LakeSettings;
import dev.sluice.pipelines.logins.LoginsSettings;
import dev.sluice.pipelines.playtime.PlaytimeSettings;
import dev.sluice.pipelines.tracking.TrackingSettings;
import dev.sluice.redis.RedisSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The example in docs/ is what users copy: it must load, and say what the code does by default. */
class ExampleConfigTest {
    @Test
    void theDocumentedExampleLoadsAndMatchesTheDefaults() {
        Path example = Path.of(System.getProperty("sluice.root"), "docs", "sluice.example.yaml");
        SluiceConfig config = ConfigSource.load(example, Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://db.internal:5432/analytics?user=sluice"));

        var logins = config.pipelines().logins();
        assertThat(logins).isEqualTo(LoginsSettings.DEFAULTS);
        assertThat(logins.masking().ip()).isEqualTo(MaskMode.HMAC);
        assertThat(logins.source().visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.postgres().url()).isEqualTo("jdbc:postgresql://db.internal:5432/analytics?user=sluice");
        assertThat(config.keys().keysetFile()).isNull();
        assertThat(config.aws().region()).isEqualTo("eu-west-1");
        assertThat(config.pipelines().playtime()).isEqualTo(PlaytimeSettings.DEFAULTS);
        assertThat(config.pipelines().tracking()).isEqualTo(TrackingSettings.DEFAULTS);
        assertThat(config.pipelines().lake()).isEqualTo(LakeSettings.DEFAULTS);
        assertThat(config.redis()).isEqualTo(new RedisSettings(SluiceConfig.DEFAULT_REDIS_URL));
    }
}
