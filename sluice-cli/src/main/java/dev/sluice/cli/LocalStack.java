package dev.sluice.cli;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedKinesis;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.EnvFile;
import dev.sluice.local.LaptopPlatform;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.pipelines.lake.S3LakeObjectStore;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded stack as {@code sluice local} and {@code sluice demo} start it: the pipelines' queues (each with a
 * dead-letter queue), the playtime and tracking buckets and Redis, the lake's Kinesis stream where node is
 * available, a masking keyset kept next to the data, and the environment that points everything at it.
 */
final class LocalStack implements AutoCloseable {
    static final Path DEFAULT_DIRECTORY = Path.of(".sluice");
    static final int MAX_RECEIVE_COUNT = 5;
    /** The shipped lake definition's stream, and the queue its SQS variant reads (docs/pipelines/lake.md). */
    static final String LAKE_STREAM = "product-events";
    static final String LAKE_QUEUE = "lake-events";
    static final int LAKE_SHARDS = 2;

    private final EmbeddedStack stack;
    private final Path keysetFile;

    private LocalStack(EmbeddedStack stack, Path keysetFile) {
        this.stack = stack;
        this.keysetFile = keysetFile;
    }

    /**
     * Whether the embedded stack can start on this machine: prints the platform's one line to {@code err} when it
     * cannot (then nothing may start) or when a part will not work there (then it starts anyway).
     */
    static boolean platformAllowsStart(LaptopPlatform.Verdict verdict, PrintStream err) {
        return switch (verdict) {
            case LaptopPlatform.Verdict.Ready ready -> true;
            case LaptopPlatform.Verdict.Limited limited -> {
                err.println(limited.line());
                yield true;
            }
            case LaptopPlatform.Verdict.Unsupported unsupported -> {
                err.println(unsupported.line());
                yield false;
            }
        };
    }

    static LocalStack start(Path directory) {
        Path keysetFile = directory.resolve("keyset.json");
        EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(directory)
                .queue(ConfigSource.LOGINS_QUEUE, MAX_RECEIVE_COUNT)
                .queue(ConfigSource.PLAYTIME_QUEUE, MAX_RECEIVE_COUNT)
                .queue(ConfigSource.TRACKING_QUEUE, MAX_RECEIVE_COUNT)
                .queue(LAKE_QUEUE, MAX_RECEIVE_COUNT)
                .bucket(ConfigSource.PLAYTIME_BUCKET)
                .bucket(ConfigSource.TRACKING_BUCKET)
                .bucket(S3LakeObjectStore.DEFAULT_BUCKET)
                .redis()
                .stream(LAKE_STREAM, LAKE_SHARDS)
                .start();
        if (!Files.exists(keysetFile)) {
            Keyset.generate().writeTo(keysetFile);
        }
        return new LocalStack(stack, keysetFile);
    }

    /** The stack's endpoints plus the keyset file: what {@code sluice run} needs, and what the env file holds. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(stack.environment());
        env.put(Keyset.ENV_KEYSET_FILE, keysetFile.toAbsolutePath().toString());
        return env;
    }

    /** Clients for the embedded SQS, S3 and Kinesis (when it runs), signed with the credentials the local store checks. */
    /**
     * The stack's local credentials as YAML to merge over a configuration, for the pipelines built from definitions
     * (the SDK's default chain reads this process's environment, not the stack's).
     */
    static String credentialsYaml() {
        return "aws: {accessKeyId: \"" + LocalAwsAccount.ACCESS_KEY_ID + "\", secretAccessKey: \""
                + LocalAwsAccount.SECRET_ACCESS_KEY + "\"}\n";
    }

    /** @param region the configured one, or {@code null} for the stack's own: no chain to consult for a local stack */
    AwsClientSettings awsSettings(String region) {
        URI kinesis = stack.kinesis().map(EmbeddedKinesis::endpoint).orElse(null);
        return new AwsClientSettings(region == null ? LocalAwsAccount.REGION.id() : region, new AwsEndpoints(stack.sqs().endpoint(), stack.s3().endpoint(), kinesis),
                LocalAwsAccount.ACCESS_KEY_ID, LocalAwsAccount.SECRET_ACCESS_KEY, null, null, null);
    }

    Path writeEnvFile(Path file) {
        EnvFile.write(file, environment());
        return file;
    }

    EmbeddedStack stack() {
        return stack;
    }

    Path keysetFile() {
        return keysetFile;
    }

    String describe() {
        return stack.describe() + System.lineSeparator() + "Keyset    " + keysetFile;
    }

    /** psql's connection string for the embedded database. */
    String psqlUrl() {
        return stack.postgres().jdbcUrl().replaceFirst("^jdbc:postgresql://([^/]+)/([^?]+)\\?user=(.+)$",
                "postgresql://$3@$1/$2");
    }

    @Override
    public void close() {
        stack.close();
    }
}
