package dev.sluice.aws;

import org.junit.jupiter.api.Test;
import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.sqs.SqsClients;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientSettingsTest {
    private static final URI LOCAL = URI.create("http://127.0.0.1:9324");
    private static final AwsClientSettings IN_EU_WEST_1 = new AwsClientSettings("eu-west-1", null, null, null, null,
            null, null);

    @Test
    void nullsTakeTheDefaults() {
        var settings = new AwsClientSettings("eu-west-1", null, null, null, null, null, null);

        assertThat(settings.endpoints()).isEqualTo(AwsEndpoints.NONE);
        assertThat(settings.hasStaticCredentials()).isFalse();
        assertThat(settings.maxConnections()).isEqualTo(50);
        assertThat(settings.apiCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.s3Transfers()).isEqualTo(dev.sluice.aws.s3.S3TransferTimeouts.DEFAULTS);
    }

    @Test
    void withoutARegionTheSdkChainDecides() {
        // The system property is the first link of the SDK's chain, before AWS_REGION.
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "ap-southeast-2");
        try {
            assertThat(AwsClientSettings.defaults().resolveRegion().id()).isEqualTo("ap-southeast-2");
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }
    }

    @Test
    void toStringRedactsTheCredentials() {
        var settings = new AwsClientSettings("eu-west-1", new AwsEndpoints(LOCAL, null), "AKIAEXAMPLEKEYID", "wJalrXUtnFEMI/K7MDENG", 5,
                Duration.ofSeconds(40), null);

        assertThat(settings.toString())
                .doesNotContain("wJalrXUtnFEMI/K7MDENG")
                .doesNotContain("AKIAEXAMPLEKEYID")
                .contains("eu-west-1", LOCAL.toString(), "redacted", "maxConnections=5");
    }

    @Test
    void credentialsComeInPairs() {
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, "AKIA", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accessKeyId and secretAccessKey must be given together")
                .hasMessageContaining("only accessKeyId was given")
                .hasMessageNotContaining("AKIA");
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, "secret", null, null, null))
                .hasMessageContaining("only secretAccessKey was given")
                .hasMessageNotContaining("secret,");
    }

    @Test
    void badValuesNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, null, 0, null, null))
                .hasMessage("maxConnections must be at least 1, was 0");
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, null, null, Duration.ZERO, null))
                .hasMessage("apiCallTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> new AwsClientSettings("EU West", null, null, null, null, null, null))
                .hasMessageStartingWith("region must be an AWS region id");
        assertThatThrownBy(() -> new AwsEndpoints(URI.create("localhost:9324"), null))
                .hasMessageStartingWith("sqs must be an absolute http or https URL");
        assertThatThrownBy(() -> new AwsEndpoints(null, URI.create("ftp://127.0.0.1/")))
                .hasMessageStartingWith("s3 must be an absolute http or https URL");
        assertThatThrownBy(() -> new AwsEndpoints(null, null, URI.create("/relative")))
                .hasMessageStartingWith("kinesis must be an absolute http or https URL");
    }

    @Test
    void aClientIsBuiltFromTheSettings() {
        try (SqsClient client = SqsClients.create(AwsClientSettings.local(LOCAL, "eu-west-1"))) {
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(LOCAL);
        }
    }

    @Test
    void aKinesisClientTakesTheKinesisOverride() {
        URI emulator = URI.create("http://127.0.0.1:4568");
        var settings = IN_EU_WEST_1.withEndpoints(new AwsEndpoints(LOCAL, null, emulator));
        try (KinesisClient client = KinesisClients.create(settings)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(emulator);
        }
        assertThat(settings.endpoints().toString()).contains("kinesis=" + emulator);
    }

    @Test
    void anS3ClientWithAnOverrideAddressesBucketsByPath() {
        URI store = URI.create("http://127.0.0.1:9000");
        var settings = IN_EU_WEST_1.withEndpoints(new AwsEndpoints(LOCAL, store));
        try (S3Client client = S3Clients.create(settings)) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(store);
            assertThat(client.utilities().getUrl(r -> r.bucket("datasets").key("a.parquet")).toString())
                    .isEqualTo("http://127.0.0.1:9000/datasets/a.parquet");
        }
    }
}
