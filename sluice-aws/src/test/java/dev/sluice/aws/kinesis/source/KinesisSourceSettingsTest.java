package dev.sluice.aws.kinesis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KinesisSourceSettingsTest {

    @Test
    void everyFieldButTheStreamHasADefault() {
        KinesisSourceSettings settings = KinesisSourceSettings.of("product-events");

        assertThat(settings.startPosition()).isEqualTo(StartPosition.TRIM_HORIZON);
        assertThat(settings.startTimestamp()).isNull();
        assertThat(settings.recordsPerCall()).isEqualTo(KinesisSourceSettings.DEFAULT_RECORDS_PER_CALL);
        assertThat(settings.getRecordsInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.startingAt(Instant.EPOCH).startPosition()).isEqualTo(StartPosition.AT_TIMESTAMP);
    }

    @Test
    void badValuesNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> KinesisSourceSettings.of(" "))
                .hasMessage("stream must be given: the Kinesis stream's name");
        assertThatThrownBy(() -> KinesisSourceSettings.of("s").startingAt(StartPosition.AT_TIMESTAMP))
                .hasMessage("startTimestamp must be given with startPosition AT_TIMESTAMP");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", StartPosition.LATEST, Instant.EPOCH, null, null, null,
                null, null, null, null, null, null))
                .hasMessage("startTimestamp is only used with startPosition AT_TIMESTAMP, startPosition is LATEST");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", null, null, 10_001, null, null, null, null, null, null,
                null, null))
                .hasMessage("recordsPerCall must be between 1 and 10000 (the GetRecords limit), was 10001");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", null, null, null, Duration.ofMillis(199), null, null,
                null, null, null, null, null))
                .hasMessage("getRecordsInterval must be at least 200 ms (Kinesis allows 5 GetRecords per second per "
                        + "shard), was 199 ms");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", null, null, null, null, 0, null, null, null, null,
                null, null))
                .hasMessage("bufferPerShard must be between 1 and 2147483647, was 0");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", null, null, null, null, null, null, Duration.ZERO,
                null, null, null, null))
                .hasMessage("pollWait must be positive and at most 20 s, was 0 ms");
        assertThatThrownBy(() -> KinesisSourceSettings.of("s").discoveringShardsEvery(Duration.ofMillis(50)))
                .hasMessage("shardDiscoveryInterval must be at least 100 ms, was 50 ms");
        assertThatThrownBy(() -> new KinesisSourceSettings("s", null, null, null, null, null, null, null, null,
                Duration.ofMinutes(2), null, null))
                .hasMessage("checkpointInterval must be positive and at most 60 s, was 120000 ms");
    }
}
