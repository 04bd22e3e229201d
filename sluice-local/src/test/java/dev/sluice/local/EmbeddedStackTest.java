package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

class EmbeddedStackTest {

    @TempDir
    Path base;

    @Test
    void theEnvironmentReachesEveryService() throws SQLException {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue("login-queue", 3).start()) {
            System.out.println("stack started in " + stack.startupTime().toMillis() + " ms");
            Map<String, String> environment = stack.environment();

            assertThat(environment).containsOnlyKeys("AWS_ENDPOINT_URL_SQS", "AWS_REGION", "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY", "SLUICE_POSTGRES_URL");
            try (SqsClient client = clientFrom(environment)) {
                assertThat(client.listQueues().queueUrls()).extracting(url -> url.substring(url.lastIndexOf('/') + 1))
                        .containsExactlyInAnyOrder("login-queue", "login-queue-dlq");
            }
            String jdbcUrl = environment.get("SLUICE_POSTGRES_URL");
            assertThat(EmbeddedPostgresServerTest.query(jdbcUrl, "SELECT current_database()")).isEqualTo("sluice");
            assertThat(stack.postgres().dataDirectory()).isEqualTo(base.resolve("postgres"));
            assertThat(stack.describe().lines()).containsExactly(
                    "SQS       " + stack.sqs().endpoint() + "  queues: login-queue (+dlq)",
                    "Postgres  " + jdbcUrl + "  data: " + base.resolve("postgres"));
        }
    }

    @Test
    void aSecondStackOnTheSameBaseDirectoryFailsWithOneClearLineAndDataOutlivesTheFirst() throws SQLException {
        try (EmbeddedStack first = EmbeddedStack.builder().baseDirectory(base).start()) {
            EmbeddedPostgresServerTest.execute(first.postgres().jdbcUrl(),
                    "CREATE TABLE logins (id int)", "INSERT INTO logins VALUES (1)");

            assertThatThrownBy(() -> EmbeddedStack.builder().baseDirectory(base).start())
                    .isInstanceOf(AlreadyInUseException.class)
                    .hasMessage("another sluice stack is using " + base + " (pid " + ProcessHandle.current().pid() + ")");
            assertThat(EmbeddedPostgresServerTest.query(first.postgres().jdbcUrl(), "SELECT count(*) FROM logins"))
                    .isEqualTo("1");
        }
        try (EmbeddedStack again = EmbeddedStack.builder().baseDirectory(base).start()) {
            assertThat(EmbeddedPostgresServerTest.query(again.postgres().jdbcUrl(), "SELECT count(*) FROM logins"))
                    .isEqualTo("1");
        }
    }

    @Test
    void theEnvironmentSurvivesAnEnvFile() {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue("login-queue", 5).start()) {
            Path file = base.resolve("env");

            EnvFile.write(file, stack.environment());

            assertThat(EnvFile.read(file)).containsExactlyEntriesOf(stack.environment());
        }
    }

    @Test
    void theDefaultBaseDirectoryIsTheOneTheMessageNames() {
        assertThat(EmbeddedStack.DEFAULT_BASE_DIRECTORY.toString()).isEqualTo("./.sluice");
        assertThat(EmbeddedPostgresServer.DEFAULT_DATA_DIRECTORY.toString()).isEqualTo("./.sluice/postgres");
    }

    private static SqsClient clientFrom(Map<String, String> environment) {
        return SqsClient.builder()
                .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_SQS")))
                .region(Region.of(environment.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .build();
    }
}
