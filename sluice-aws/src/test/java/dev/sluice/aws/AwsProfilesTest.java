package dev.sluice.aws;

import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.core.config.SystemProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the SDK's default chains make of a user's AWS profiles when {@code aws:} leaves region and credentials out.
 * The profile file is a temporary one named by the {@code aws.configFile} system property; nothing reaches AWS.
 */
class AwsProfilesTest {
    private static final URI LOCAL = URI.create("http://127.0.0.1:9324");

    @TempDir
    Path dir;

    @Test
    void withoutARegionTheProfilesRegionIsUsed() throws IOException {
        Path config = write("""
                [default]
                region = us-west-2

                [profile analytics]
                region = ap-northeast-1
                """);
        var settings = AwsClientSettings.defaults().withEndpoints(new AwsEndpoints(LOCAL, null));
        try (var properties = profile(config, "analytics");
             SqsClient client = SqsClients.create(settings)) {
            assertThat(settings.region()).as("nothing configured").isNull();
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.AP_NORTHEAST_1);
        }
    }

    @Test
    void aConfiguredRegionWinsOverTheProfile() throws IOException {
        Path config = write("""
                [profile analytics]
                region = ap-northeast-1
                """);
        var settings = new AwsClientSettings("eu-west-1", new AwsEndpoints(LOCAL, null), null, null, null, null, null);
        try (var properties = profile(config, "analytics");
             SqsClient client = SqsClients.create(settings)) {
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
        }
    }

    @Test
    void noRegionAnywhereIsAnErrorNamingTheSetting() {
        var settings = AwsClientSettings.defaults();

        assertThatThrownBy(() -> settings.resolveRegion(() -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no AWS region: set aws.region in the configuration, or AWS_REGION")
                .hasCauseInstanceOf(SdkClientException.class);
    }

    @Test
    void aProfileWithoutARegionAndNoInstanceMetadataIsThatError() throws IOException {
        Path config = write("""
                [profile analytics]
                output = json
                """);
        // Instance metadata is switched off for every test (the parent POM), so the chain has nothing left.
        try (var properties = profile(config, "analytics")) {
            assertThatThrownBy(() -> SqsClients.create(AwsClientSettings.defaults()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("aws.region");
        }
    }

    private Path write(String profiles) throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, profiles);
        return config;
    }

    /** The profile file and profile the SDK reads instead of ~/.aws/config and AWS_PROFILE. */
    static SystemProperties profile(Path config, String name) {
        return SystemProperties.set(Map.of("aws.configFile", config.toString(),
                "aws.sharedCredentialsFile", config.resolveSibling("credentials").toString(),
                "aws.profile", name));
    }
}
