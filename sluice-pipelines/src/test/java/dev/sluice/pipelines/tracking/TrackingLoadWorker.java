package dev.sluice.pipelines.tracking;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.AwsEndpoints;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/**
 * A separate JVM that runs the warehouse load once, for {@link TrackingLoadCrashTest} to SIGKILL while a file's
 * transaction is open. Arguments: S3 endpoint, bucket, JDBC URL (its {@code ApplicationName} lets the test find the
 * worker's session in {@code pg_stat_activity}).
 */
public final class TrackingLoadWorker {

    public static void main(String[] args) throws Exception {
        AwsClientSettings aws = new AwsClientSettings(LocalAwsAccount.REGION.id(),
                new AwsEndpoints(null, URI.create(args[0])), LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY, null, null, null);
        try (S3Client s3 = S3Clients.create(aws);
             PostgresDatabase db = new PostgresDatabase(new PostgresSettings(args[2]))) {
            System.out.println("worker loading");
            System.out.println(TrackingJobs.loadJob(TrackingJobs.load("bucket: " + args[1]), s3, db.dataSource()).loadPending());
        }
    }
}
