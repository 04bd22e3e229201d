package dev.sluice.pipelines.tracking;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM running the raw archiver that dies the moment it would first delete messages from the queue:
 * after their raw file was stored in S3, before SQS forgets them; {@code Runtime.halt} runs no shutdown hook and no
 * finally block, like SIGKILL. Arguments: SQS endpoint, queue, S3 endpoint, bucket, JDBC URL, work directory,
 * maxEvents.
 */
public final class TrackingArchiveWorker {
    public static void main(String[] args) {
        AwsClientSettings aws = new AwsClientSettings("us-east-1",
                new AwsEndpoints(URI.create(args[0]), URI.create(args[2])), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, null, null, null);
        TrackingSettings settings = new TrackingSettings(
                new SqsSourceSettings(args[1], Duration.ofSeconds(1), 10, Duration.ofSeconds(4)), args[3],
                new TrackingArchiveSettings(null, Integer.parseInt(args[6]), null, Duration.ofSeconds(2),
                        Path.of(args[5])),
                null, null, TrackingArchiveHarness.QUICK);
        ForwardingSource dyingAtFirstDelete = new ForwardingSource(SqsSource.connect(aws, settings.source())) {
            @Override
            public void acknowledge(List<Message> messages) {
                System.out.println("halting before deleting " + messages.size() + " messages");
                Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
            }
        };
        TrackingArchivePipeline.create(settings, dyingAtFirstDelete, S3Clients.create(aws),
                new PostgresDatabase(new PostgresSettings(args[4])), new SimpleMeterRegistry(), Clock.systemUTC())
                .start();
        System.out.println("worker started");
    }
}
