package dev.sluice.pipelines.lake;

import dev.sluice.aws.kinesis.source.KinesisSource;
import dev.sluice.aws.kinesis.source.KinesisSourceSettings;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.postgres.PostgresCheckpointStore;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A separate JVM running the lake pipeline on Kinesis that dies with {@code Runtime.halt} (no shutdown hook, no
 * finally block, like SIGKILL) right after its Nth PutObject: in the middle of a roll, a file stored, its events not
 * yet recorded as seen, its records not checkpointed, later files of the roll not stored. Arguments: Kinesis
 * endpoint, stream, S3 endpoint, bucket, JDBC URL, work directory, N.
 */
public final class LakeWorker {
    static final int HALT_STATUS = 137;

    public static void main(String[] args) throws Exception {
        int haltAfter = Integer.parseInt(args[6]);
        KinesisClient kinesis = KinesisClient.builder().endpointOverride(URI.create(args[0]))
                .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials()).build();
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[2])).forcePathStyle(true)
                .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials()).build();
        PostgresDatabase db = new PostgresDatabase(new PostgresSettings(args[4]));
        LakeSettings settings = LakeKinesisEndToEndTest.settings(KinesisSourceSettings.of(args[1]), args[3],
                Path.of(args[5]));
        KinesisSource source = KinesisSource.builder(settings.kinesis()).client(kinesis)
                .checkpoints(new PostgresCheckpointStore(db.dataSource(), PostgresCheckpointStore.DEFAULT_TABLE))
                .build();
        LakePipeline.create(settings, source, new HaltingS3(s3, haltAfter), db, new LakeErrorSink(db.dataSource()),
                new SimpleMeterRegistry(), Clock.systemUTC()).runner().start();
        System.out.println("worker started");
        // The runner's threads are virtual: the JVM must be held open until the halt.
        new CountDownLatch(1).await();
    }

    /** Passes PutObject on and halts the JVM right after the Nth. */
    static final class HaltingS3 extends ForwardingS3 {
        private final int haltAfter;
        private final AtomicInteger puts = new AtomicInteger();

        HaltingS3(S3Client s3, int haltAfter) {
            super(s3);
            this.haltAfter = haltAfter;
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            PutObjectResponse response = super.putObject(request, body);
            if (puts.incrementAndGet() == haltAfter) {
                System.out.println("halting after storing " + request.key());
                System.out.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
            return response;
        }
    }
}
