package dev.sluice.pipelines.playtime;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.pipelines.HaltingWorker;
import dev.sluice.redis.PlaytimeStore;
import dev.sluice.redis.RedisSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A separate JVM running the playtime pipeline that dies the moment it would first delete a message from the queue:
 * after the Redis script of a file ran, before SQS forgets its notification; {@code Runtime.halt} runs no shutdown
 * hook and no finally block, like SIGKILL. Arguments: SQS endpoint, queue, S3 endpoint, Redis URL, key prefix, work
 * directory.
 */
public final class PlaytimeWorker {
    public static void main(String[] args) {
        AwsClientSettings aws = new AwsClientSettings(PlaytimeHarness.REGION,
                new AwsEndpoints(URI.create(args[0]), URI.create(args[2])), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, null, null, null);
        PlaytimeSettings settings = new PlaytimeSettings(
                new SqsSourceSettings(args[1], Duration.ofSeconds(1), 10, Duration.ofSeconds(4)),
                null, null, null, Path.of(args[5]), null, PlaytimeHarness.QUICK, null, null, null);
        S3Client s3 = S3Clients.create(aws);
        PlaytimeStore store = PlaytimeStore.open(new RedisSettings(args[3]).withKeyPrefix(args[4]));
        ForwardingSource dyingAtFirstDelete = new ForwardingSource(SqsSource.connect(aws, settings.source())) {
            @Override
            public void acknowledge(List<Message> messages) {
                System.out.println("halting before deleting " + messages.size() + " messages");
                Runtime.getRuntime().halt(HaltingWorker.HALT_STATUS);
            }
        };
        PlaytimePipeline.create(settings, dyingAtFirstDelete, s3, store, new SimpleMeterRegistry(),
                Clock.systemUTC()).start();
        System.out.println("worker started");
    }
}
