package dev.sluice.aws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientSettingsTest {
    private static final URI LOCAL = URI.create("http://127.0.0.1:9324");

    @Test
    void nullsTakeTheDefaults() {
        var settings = new AwsClientSettings("eu-west-1", null, null, null, null, null);

        assertThat(settings.endpointOverride()).isEmpty();
        assertThat(settings.hasStaticCredentials()).isFalse();
        assertThat(settings.maxConnections()).isEqualTo(50);
        assertThat(settings.apiCallTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutARegionTheSdkChainDecides() {
        // The system property is the first link of the SDK's chain, before AWS_REGION.
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "ap-southeast-2");
        try {
            assertThat(AwsClientSettings.defaults().region()).isEqualTo("ap-southeast-2");
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
        var settings = new AwsClientSettings("eu-west-1", LOCAL, "AKIAEXAMPLEKEYID", "wJalrXUtnFEMI/K7MDENG", 5,
                Duration.ofSeconds(40));

        assertThat(settings.toString())
                .doesNotContain("wJalrXUtnFEMI/K7MDENG")
                .doesNotContain("AKIAEXAMPLEKEYID")
                .contains("eu-west-1", LOCAL.toString(), "redacted", "maxConnections=5");
    }

    @Test
    void credentialsComeInPairs() {
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, "AKIA", null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accessKeyId and secretAccessKey must be given together")
                .hasMessageContaining("only accessKeyId was given")
                .hasMessageNotContaining("AKIA");
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, "secret", null, null))
                .hasMessageContaining("only secretAccessKey was given")
                .hasMessageNotContaining("secret,");
    }

    @Test
    void badValuesNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, null, 0, null))
                .hasMessage("maxConnections must be at least 1, was 0");
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", null, null, null, null, Duration.ZERO))
                .hasMessage("apiCallTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> new AwsClientSettings("EU West", null, null, null, null, null))
                .hasMessageStartingWith("region must be an AWS region id");
        assertThatThrownBy(() -> new AwsClientSettings("eu-west-1", URI.create("localhost:9324"), null, null, null,
                null))
                .hasMessageStartingWith("endpoint must be an absolute http or https URL");
    }

    @Test
    void aClientIsBuiltFromTheSettings() {
        try (SqsClient client = SqsClients.create(AwsClientSettings.local(LOCAL, "eu-west-1"))) {
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(LOCAL);
        }
    }
}
