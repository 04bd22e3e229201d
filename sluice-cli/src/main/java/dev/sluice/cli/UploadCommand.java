package dev.sluice.cli;

import dev.sluice.aws.s3.S3ObjectRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sluice upload FILE --bucket B [--key K]}: puts a file into a bucket and publishes the S3 event notification
 * S3 would have sent, so the playtime pipeline counts it; the local store cannot notify on its own.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Put a file into a bucket and publish its S3 event notification to the playtime queue "
                + "(endpoints from --config or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SQS).")
final class UploadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the file to upload, e.g. a Parquet dataset")
    Path file;

    @Option(names = "--bucket", required = true, paramLabel = "B", description = "target bucket")
    String bucket;

    @Option(names = "--key", paramLabel = "K", description = "object key (default: the file's name)")
    String key;

    @Mixin
    PlaytimeQueueOptions notifications;

    @Option(names = "--no-notification", description = "publish nothing: the bucket's own S3 notifications are "
            + "configured (real S3)")
    boolean noNotification;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("FILE must be a readable regular file, and " + file + " is not");
        }
        String target = key != null ? key : file.getFileName().toString();
        if (target.isEmpty()) {
            throw new IllegalArgumentException("--key must not be empty");
        }
        try (PlaytimePublisher publisher = notifications.openPublisher()) {
            if (noNotification) {
                publisher.store(file, bucket, target);
                System.out.println("stored s3://" + bucket + "/" + target + " (no notification published)");
            } else {
                S3ObjectRef uploaded = publisher.upload(file, bucket, target);
                System.out.println("stored s3://" + bucket + "/" + target + " (ETag " + uploaded.eTag() + ", "
                        + uploaded.size() + " bytes); notification sent to " + publisher.queue());
            }
        }
        return 0;
    }
}
