package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import java.util.Optional;

import dev.sluice.pipelines.SluiceConfig;
import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.aws.s3.S3NotificationsSettings;
import dev.sluice.pipelines.totals.ParquetTotalsSettings;
import dev.sluice.redis.RedisErrorsSettings;
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
        ConfigSource.Loaded loaded = ConfigSource.read(example,
                Map.of("SLUICE_POSTGRES_URL", "jdbc:postgresql://db.internal:5432/analytics?user=sluice"));
        SluiceConfig config = loaded.wired();

        // The example writes logins' shipped values: merged over the definition, it changes nothing.
        ConfigNode logins = loaded.definitions().definition("logins");
        ConfigNode shipped = PipelineDefinitions.load(Catalog.load(), new ConfigLoader(Map.of()), Optional.empty())
                .definition("logins");
        for (String part : new String[]{"processors", "sink", "errors"}) {
            assertThat(logins.at(part).value()).as(part).isEqualTo(shipped.at(part).value());
        }
        assertThat(logins.at("source").without("type").bind(SqsSourceSettings.class))
                .isEqualTo(shipped.at("source").without("type").bind(SqsSourceSettings.class));
        assertThat(logins.at("runner").bind(RunnerSettings.class)).isEqualTo(RunnerSettings.DEFAULTS);
        // And playtime's, written as overrides of the shipped definition.
        ConfigNode playtime = loaded.definitions().definition("playtime");
        ConfigNode shippedPlaytime = PipelineDefinitions.load(Catalog.load(), new ConfigLoader(Map.of()),
                Optional.empty()).definition("playtime");
        Map<String, Class<?>> parts = Map.of("source", S3NotificationsSettings.class, "sink",
                ParquetTotalsSettings.class, "errors", RedisErrorsSettings.class, "runner", RunnerSettings.class);
        parts.forEach((part, settings) -> assertThat(playtime.at(part).without("type").bind(settings)).as(part)
                .isEqualTo(shippedPlaytime.at(part).without("type").bind(settings)));
        assertThat(playtime.at("routes").value()).isEqualTo(shippedPlaytime.at("routes").value());
        // The same for tracking: every part it writes is as shipped.
        ConfigNode tracking = loaded.definitions().definition("tracking");
        ConfigNode shippedTracking = PipelineDefinitions.load(Catalog.load(), new ConfigLoader(Map.of()),
                Optional.empty()).definition("tracking");
        for (String part : new String[]{"source", "processors", "sink", "errors", "runner", "jobs", "routes"}) {
            assertThat(tracking.at(part).value()).as(part).isEqualTo(shippedTracking.at(part).value());
        }
        assertThat(config.postgres().url()).isEqualTo("jdbc:postgresql://db.internal:5432/analytics?user=sluice");
        assertThat(config.keys().keysetFile()).isNull();
        assertThat(config.aws().region()).as("absent: the SDK's region chain decides").isNull();
        // And the lake's: its source with the shipped defaults written out, every other part as shipped.
        ConfigNode lake = loaded.definitions().definition("lake");
        ConfigNode shippedLake = PipelineDefinitions.load(Catalog.load(), new ConfigLoader(Map.of()),
                Optional.empty()).definition("lake");
        assertThat(lake.at("source").without("type").bind(KinesisSourceSettings.class))
                .isEqualTo(shippedLake.at("source").without("type").bind(KinesisSourceSettings.class));
        for (String part : new String[]{"processors", "sink", "errors", "runner", "routes"}) {
            assertThat(lake.at(part).value()).as(part).isEqualTo(shippedLake.at(part).value());
        }
        assertThat(config.redis()).isEqualTo(new RedisSettings(SluiceConfig.DEFAULT_REDIS_URL));
    }
}
