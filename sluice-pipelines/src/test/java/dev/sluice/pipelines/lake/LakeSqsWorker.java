package dev.sluice.pipelines.lake;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM running the lake pipeline on SQS that dies with {@code Runtime.halt} (like SIGKILL) right after its
 * Nth PutObject: a file stored, its events not recorded in lake_seen, its messages not deleted. Arguments: SQS
 * endpoint, queue, S3 endpoint, bucket, JDBC URL, work directory, N.
 */
public final class LakeSqsWorker {

    public static void main(String[] args) throws Exception {
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(args[0])).region(LocalAwsAccount.REGION)
                .credentialsProvider(LocalAwsAccount.credentials()).build();
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[2])).forcePathStyle(true)
                .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials()).build();
        PostgresDatabase db = new PostgresDatabase(new PostgresSettings(args[4]));
        LakeSettings settings = LakeSqsHarness.settings(args[1], args[3], Path.of(args[5]));
        LakePipeline.create(settings, SqsSource.connect(sqs, settings.queue()),
                new LakeWorker.HaltingS3(s3, Integer.parseInt(args[6])), db, new LakeErrorSink(db.dataSource()),
                new SimpleMeterRegistry(), Clock.systemUTC()).runner().start();
        System.out.println("worker started");
        // The runner's threads are virtual: the JVM must be held open until the halt.
        new CountDownLatch(1).await();
    }
}
