package dev.sluice.cli;

import dev.sluice.aws.AwsEndpoints;
import dev.sluice.local.LocalAwsAccount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** sluice.yaml files with explicit endpoints, so tests never depend on this process's environment. */
final class TestConfigs {
    private TestConfigs() {
    }

    static Path write(Path file, URI sqsEndpoint, String postgresUrl, String queue, Path keysetFile) {
        return write(file, new AwsEndpoints(sqsEndpoint, URI.create("http://127.0.0.1:" + closedPort())), postgresUrl,
                queue, keysetFile);
    }

    static Path write(Path file, AwsEndpoints endpoints, String postgresUrl, String queue, Path keysetFile) {
        String yaml = """
                aws:
                  region: %s
                  endpoints: {sqs: "%s", s3: "%s"}
                  accessKeyId: %s
                  secretAccessKey: %s
                postgres:
                  url: "%s"
                  connectTimeout: 1s
                keys:
                  keysetFile: "%s"
                pipelines:
                  logins:
                    source:
                      queue: %s
                """.formatted(LocalAwsAccount.REGION.id(), endpoints.sqs(), endpoints.s3(), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, postgresUrl, keysetFile, queue);
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the playtime pipeline's queue and Redis to a file {@link #write} wrote. */
    static Path withPlaytime(Path file, String redisUrl, String playtimeQueue) {
        String yaml = """
                  playtime:
                    source:
                      queue: %s
                redis:
                  url: "%s"
                  connectTimeout: 1s
                """.formatted(playtimeQueue, redisUrl);
        try {
            return Files.writeString(file, yaml, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the tracking pipeline's queue and bucket to a file {@link #write} wrote. */
    static Path withTracking(Path file, String trackingQueue, String bucket) {
        return withPipeline(file, """
                tracking:
                  source:
                    queue: %s
                """.formatted(trackingQueue) + trackingBucket(bucket, ""));
    }

    /**
     * The shipped tracking definition's overrides for one bucket, as {@code pipelines.tracking}'s keys (indented
     * two spaces): it archives to, loads from and draws into it; {@code charts} adds keys to the charts job.
     */
    static String trackingBucket(String bucket, String charts) {
        return """
                  sink: {bucket: %s}
                  jobs: [{id: load, bucket: %s}, {id: charts, bucket: %s%s}]
                  routes: [{id: charts, bucket: %s}]
                """.formatted(bucket, bucket, bucket, charts, bucket);
    }

    /** The lake on an SQS queue (no Kinesis needed) and {@code bucket}. */
    static Path withLake(Path file, String lakeQueue, String bucket) {
        return withPipeline(file, """
                lake:
                  source: {type: sqs, queue: %s}
                  sink: {bucket: %s}
                  routes: [{id: partitions, bucket: %s}]
                  jobs: [{id: compact, bucket: %s}]
                """.formatted(lakeQueue, bucket, bucket, bucket));
    }

    /** Adds {@code settings}, a pipeline's block as it stands under {@code pipelines:}, to a file {@link #write} wrote. */
    static Path withPipeline(Path file, String settings) {
        try {
            return Files.writeString(file, Files.readString(file).replace("pipelines:\n",
                    "pipelines:\n" + settings.indent(2)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on (free a moment ago). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
