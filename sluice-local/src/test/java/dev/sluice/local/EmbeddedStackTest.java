package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;

class EmbeddedStackTest {

    @TempDir
    Path base;

    @Test
    void theEnvironmentReachesEveryService() throws SQLException {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue("login-queue", 3).start()) {
            System.out.println("stack started in " + stack.startupTime().toMillis() + " ms");
            Map<String, String> environment = stack.environment();

            assertThat(environment).containsOnlyKeys("AWS_ENDPOINT_URL_SQS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
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
    void s3AndRedisAskedForAreReachedThroughTheEnvironment() throws SQLException {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue("playtime-queue", 3)
                .bucket("playtime").redis().start()) {
            System.out.println("stack with S3 and Redis started in " + stack.startupTime().toMillis() + " ms");
            Map<String, String> environment = stack.environment();

            assertThat(environment).containsOnlyKeys("AWS_ENDPOINT_URL_SQS", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY", "SLUICE_POSTGRES_URL", "AWS_ENDPOINT_URL_S3", "SLUICE_REDIS_URL");
            try (S3Client client = S3Client.builder()
                    .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_S3")))
                    .forcePathStyle(true)
                    .region(Region.of(environment.get("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                    .build()) {
                assertThat(client.listBuckets().buckets()).extracting(Bucket::name).containsExactly("playtime");
                client.putObject(b -> b.bucket("playtime").key("f.parquet"), RequestBody.fromString("x"));
                assertThat(client.getObjectAsBytes(b -> b.bucket("playtime").key("f.parquet")).asUtf8String()).isEqualTo("x");
            }
            try (RedisClient redis = RedisClient.create(URI.create(environment.get("SLUICE_REDIS_URL")))) {
                assertThat(redis.ping()).isEqualTo("PONG");
            }
            try (SqsClient client = clientFrom(environment)) {
                assertThat(client.listQueues().queueUrls()).hasSize(2);
            }
            assertThat(EmbeddedPostgresServerTest.query(environment.get("SLUICE_POSTGRES_URL"), "SELECT 1")).isEqualTo("1");
            assertThat(stack.describe().lines()).containsExactly(
                    "SQS       " + stack.sqs().endpoint() + "  queues: playtime-queue (+dlq)",
                    "Postgres  " + environment.get("SLUICE_POSTGRES_URL") + "  data: " + base.resolve("postgres"),
                    "S3        " + environment.get("AWS_ENDPOINT_URL_S3") + "  buckets: playtime  data: " + base.resolve("s3"),
                    "Redis     " + environment.get("SLUICE_REDIS_URL") + "  data: " + base.resolve("redis"));
        }
    }

    @Test
    void aStreamAskedForRunsKinesisReachedThroughTheEnvironment() {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).stream("product-events", 2).start()) {
            Map<String, String> environment = stack.environment();

            assertThat(environment).containsKey("AWS_ENDPOINT_URL_KINESIS");
            EmbeddedKinesis kinesis = stack.kinesis().orElseThrow();
            assertThat(environment.get("AWS_ENDPOINT_URL_KINESIS")).isEqualTo(kinesis.endpoint().toString());
            try (KinesisClient client = kinesis.newClient()) {
                assertThat(client.listShards(b -> b.streamName("product-events")).shards()).hasSize(2);
            }
            assertThat(stack.describe().lines()).contains(
                    "Kinesis   " + kinesis.endpoint() + "  streams: product-events (2 shards)");
        }
    }

    @Test
    void aStackWithoutS3OrRedisSaysSoWhenAskedForThem() {
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).start()) {
            assertThatThrownBy(stack::s3).hasMessage(
                    "this stack runs no S3: ask for a bucket with EmbeddedStack.Builder.bucket");
            assertThatThrownBy(stack::redis).hasMessage(
                    "this stack runs no Redis: ask for it with EmbeddedStack.Builder.redis");
            assertThat(stack.kinesis()).isEmpty();
        }
    }

    @Test
    void bucketsAndRedisDataOutliveTheStack() {
        try (EmbeddedStack first = EmbeddedStack.builder().baseDirectory(base).bucket("playtime").redis().start();
             S3Client s3 = first.s3().newClient();
             RedisClient redis = RedisClient.create(URI.create(first.redis().url()))) {
            s3.putObject(b -> b.bucket("playtime").key("kept"), RequestBody.fromString("object"));
            redis.set("kept", "value");
        }
        try (EmbeddedStack again = EmbeddedStack.builder().baseDirectory(base).bucket("playtime").redis().start();
             S3Client s3 = again.s3().newClient();
             RedisClient redis = RedisClient.create(URI.create(again.redis().url()))) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("playtime").key("kept")).asUtf8String()).isEqualTo("object");
            assertThat(redis.get("kept")).isEqualTo("value");
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
        assertThat(EmbeddedS3.DEFAULT_DATA_DIRECTORY.toString()).isEqualTo("./.sluice/s3");
        assertThat(EmbeddedRedis.DEFAULT_DATA_DIRECTORY.toString()).isEqualTo("./.sluice/redis");
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
