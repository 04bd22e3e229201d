package dev.sluice.aws;

import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.core.config.SystemProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import dev.sluice.core.config.ConfigLoader;
import org.assertj.core.api.Condition;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

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

    @Test
    void anSsoSessionProfileIsLoadedAndAsksForItsToken() throws IOException {
        // A session no `aws sso login` on this machine has cached a token for.
        String session = "sluice-test-" + UUID.randomUUID();
        Path config = write("""
                [profile analyst]
                sso_session = %s
                sso_account_id = 123456789012
                sso_role_name = Analyst
                region = eu-west-1

                [sso-session %s]
                sso_start_url = https://example.awsapps.com/start
                sso_region = eu-west-1
                sso_registration_scopes = sso:account:access
                """.formatted(session, session));
        try (var properties = profile(config, "analyst")) {
            // The profile provider's own line in the chain's message: sso and ssooidc loaded it.
            assertThat(failedCall()).contains(PROFILE_SAYS + "Unable to load SSO token").satisfies(NOT_MISSING_A_MODULE);
        }
    }

    @Test
    void aLegacySsoProfileIsLoadedAndAsksForItsToken() throws IOException {
        Path config = write("""
                [profile analyst]
                sso_start_url = https://sluice-test-%s.awsapps.com/start
                sso_region = eu-west-1
                sso_account_id = 123456789012
                sso_role_name = Analyst
                region = eu-west-1
                """.formatted(UUID.randomUUID()));
        try (var properties = profile(config, "analyst")) {
            // It looked for the token `aws sso login` caches.
            assertThat(failedCall()).containsPattern("\\Q" + PROFILE_SAYS + "\\E.*/\\.aws/sso/cache/[0-9a-f]+\\.json")
                    .satisfies(NOT_MISSING_A_MODULE);
        }
    }

    @Test
    void aRoleProfileAsksStsForTheRole() throws IOException {
        Path config = write("""
                [profile base]
                aws_access_key_id = AKIDEXAMPLEBASE
                aws_secret_access_key = base-secret

                [profile analyst]
                role_arn = arn:aws:iam::123456789012:role/analyst
                source_profile = base
                region = eu-west-1
                """);
        int sts = closedPort();
        try (var properties = profile(config, "analyst");
             var stsEndpoint = SystemProperties.set(Map.of("aws.endpointUrlSts", "http://127.0.0.1:" + sts))) {
            // The profile provider called STS (at the closed port) for the role: sts loaded it.
            assertThat(failedCall()).contains(PROFILE_SAYS + "Unable to execute HTTP request: Connect to 127.0.0.1:" + sts)
                    .satisfies(NOT_MISSING_A_MODULE);
        }
    }

    @Test
    void aConfiguredRoleIsAssumedWithTheStaticCredentials() throws IOException {
        int sts = closedPort();
        var settings = new AwsClientSettings("eu-west-1", new AwsEndpoints(LOCAL, null), "AKIDEXAMPLE", "secret",
                null, null, null, "arn:aws:iam::123456789012:role/sluice-logins");
        try (var stsEndpoint = SystemProperties.set(Map.of("aws.endpointUrlSts", "http://127.0.0.1:" + sts));
             SqsClient client = SqsClients.create(settings)) {
            assertThatThrownBy(client::listQueues)
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("127.0.0.1:" + sts)
                    .hasMessageNotContaining("secret");
        }
        assertThat(settings.toString()).contains("assuming arn:aws:iam::123456789012:role/sluice-logins")
                .doesNotContain("secret").doesNotContain("AKIDEXAMPLE");
    }

    @Test
    void roleArnIsReadFromTheConfigurationAndChecked() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(loader.load("sluice.yaml", "{region: eu-west-1, roleArn: \"arn:aws:iam::123456789012:role/a/b\"}",
                AwsClientSettings.class).roleArn()).isEqualTo("arn:aws:iam::123456789012:role/a/b");
        assertThatThrownBy(() -> loader.load("sluice.yaml", "{roleArn: analyst}", AwsClientSettings.class))
                .hasMessageContaining("roleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/sluice");
    }

    /** The message of a call that cannot get credentials; the queue endpoint is never reached. */
    private static String failedCall() {
        var settings = new AwsClientSettings(null, new AwsEndpoints(LOCAL, null), null, null, null, null, null);
        try (SqsClient client = SqsClients.create(settings)) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(client::listQueues);
            assertThat(failure).isInstanceOf(SdkClientException.class);
            return failure.getMessage();
        }
    }

    /** Where the chain's message gives the error of the provider of the profile {@code analyst}. */
    private static final String PROFILE_SAYS = "])])): ";

    /** What the chain says when the module a profile needs is missing from the class path. */
    private static final Condition<String> NOT_MISSING_A_MODULE = new Condition<>(
            message -> !message.contains("on the class path") && !message.contains("ClassNotFound")
                    && !message.contains("not supported"), "a profile the SDK could load");

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
