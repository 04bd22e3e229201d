package dev.sluice.pipelines.lake;

import dev.sluice.local.LocalAwsAccount;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import dev.sluice.postgres.job.SingleRunnerJob;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A separate JVM compacting one day of a lake that dies at a given point, with {@code Runtime.halt} (no shutdown hook,
 * no finally block, like SIGKILL). Arguments: S3 endpoint, bucket, JDBC URL, day, work directory, crash point.
 */
public final class CompactionWorker {
    static final int HALT_STATUS = 137;

    /** Where the worker dies. */
    enum CrashPoint {
        /** the compaction is recorded, its output not stored */
        BEFORE_PUT,
        /** the output is stored, no input deleted */
        AFTER_PUT,
        /** the output is stored and one input deleted */
        AFTER_FIRST_DELETE
    }

    public static void main(String[] args) throws Exception {
        CrashPoint crash = CrashPoint.valueOf(args[5]);
        S3Client real = S3Client.builder().endpointOverride(URI.create(args[0])).forcePathStyle(true)
                .region(LocalAwsAccount.REGION).credentialsProvider(LocalAwsAccount.credentials()).build();
        PostgresDatabase db = new PostgresDatabase(new PostgresSettings(args[2]));
        LakeCompaction compaction = new LakeCompaction(new Dying(real, crash), args[1], "events/",
                new CompactionLog(db.dataSource()), LocalDate.parse(args[3]), Path.of(args[4]));
        System.out.println(new SingleRunnerJob(compaction, db.dataSource()).run().summary());
        System.out.println("finished without reaching " + crash);
    }

    /** The S3 calls compaction makes, passed on, with a halt at the crash point. */
    private static final class Dying extends ForwardingS3 {
        private final CrashPoint crash;
        private final AtomicInteger deletes = new AtomicInteger();

        Dying(S3Client s3, CrashPoint crash) {
            super(s3);
            this.crash = crash;
        }

        private static void halt(String where) {
            System.out.println("halting " + where);
            System.out.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            if (crash == CrashPoint.BEFORE_PUT) {
                halt("before storing " + request.key());
            }
            PutObjectResponse response = super.putObject(request, body);
            if (crash == CrashPoint.AFTER_PUT) {
                halt("after storing " + request.key());
            }
            return response;
        }

        @Override
        public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
            DeleteObjectResponse response = super.deleteObject(request);
            if (crash == CrashPoint.AFTER_FIRST_DELETE && deletes.incrementAndGet() == 1) {
                halt("after deleting " + request.key());
            }
            return response;
        }
    }
}
