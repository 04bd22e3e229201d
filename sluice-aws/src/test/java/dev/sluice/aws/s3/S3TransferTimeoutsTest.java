package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class S3TransferTimeoutsTest {

    @Test
    void aTransferGetsTheMinimumPlusItsBytesAtTheMinimumThroughput() {
        S3TransferTimeouts timeouts = new S3TransferTimeouts(Duration.ofSeconds(30), 1_048_576L);

        assertThat(timeouts.forBytes(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(timeouts.forBytes(128L << 20)).as("a full lake file").isEqualTo(Duration.ofSeconds(30 + 128));
        assertThat(timeouts.forBytes(1)).as("rounded up to the next millisecond").isEqualTo(Duration.ofMillis(30_001));
        assertThat(timeouts.forBytes(5L << 40)).as("S3's largest object").isEqualTo(Duration.ofSeconds(30 + (5L << 20)));
    }

    @Test
    void nullsTakeTheDefaults() {
        assertThat(new S3TransferTimeouts(null, null)).isEqualTo(S3TransferTimeouts.DEFAULTS)
                .isEqualTo(new S3TransferTimeouts(Duration.ofSeconds(30), 1_048_576L));
    }

    @Test
    void aTimeoutOrThroughputThatCannotWorkIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new S3TransferTimeouts(Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3Transfers.minimumTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> new S3TransferTimeouts(null, 0L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s3Transfers.minimumBytesPerSecond must be at least 1, was 0");
        assertThatThrownBy(() -> S3TransferTimeouts.DEFAULTS.forBytes(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientMadeFromTheSettingsCarriesTheirTimeoutsAndAnyOtherClientTheDefaults() {
        S3TransferTimeouts configured = new S3TransferTimeouts(Duration.ofSeconds(5), 4_096L);
        AwsClientSettings settings = new AwsClientSettings("eu-west-1",
                new AwsEndpoints(null, URI.create("http://127.0.0.1:9000")), "k", "s", null, Duration.ofSeconds(7),
                configured);
        try (S3Client made = S3Clients.create(settings);
             S3Client other = S3Client.builder().region(Region.EU_WEST_1).build()) {
            assertThat(S3TransferTimeouts.of(made)).isEqualTo(configured);
            assertThat(made.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .as("the other calls keep the short timeout").contains(Duration.ofSeconds(7));
            assertThat(S3TransferTimeouts.of(other)).isEqualTo(S3TransferTimeouts.DEFAULTS);
        }
    }
}
