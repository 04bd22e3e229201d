package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3Test {

    @TempDir
    Path directory;

    @Test
    void putGetListAndDeleteThroughTheSdkWithTheSameETag() {
        try (EmbeddedS3 s3 = EmbeddedS3.start(directory.resolve("s3")); S3Client client = s3.newClient()) {
            s3.createBucket("datasets");

            String putETag = client.putObject(b -> b.bucket("datasets").key("in/day 1+2.parquet"),
                    RequestBody.fromString("rows", StandardCharsets.UTF_8)).eTag();
            ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket("datasets").key("in/day 1+2.parquet"));

            assertThat(got.asUtf8String()).isEqualTo("rows");
            assertThat(putETag).isNotBlank().isEqualTo(got.response().eTag());
            assertThat(client.headObject(b -> b.bucket("datasets").key("in/day 1+2.parquet")).eTag()).isEqualTo(putETag);
            assertThat(client.listObjectsV2(b -> b.bucket("datasets")).contents())
                    .extracting(S3Object::key, S3Object::eTag, S3Object::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("in/day 1+2.parquet", putETag, 4L));

            client.deleteObject(b -> b.bucket("datasets").key("in/day 1+2.parquet"));

            assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("datasets").key("in/day 1+2.parquet")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(client.listObjectsV2(b -> b.bucket("datasets")).contents()).isEmpty();
        }
    }

    @Test
    void listingPaginatesPastOneThousandKeys() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(directory.resolve("s3")); S3Client client = s3.newClient()) {
            s3.createBucket("many");
            List<String> keys = IntStream.range(0, 1_234).mapToObj(i -> String.format("k/%05d", i)).toList();
            try (ExecutorService putting = Executors.newFixedThreadPool(8)) {
                List<Future<?>> puts = keys.stream().<Future<?>>map(key -> putting.submit(() ->
                        client.putObject(b -> b.bucket("many").key(key), RequestBody.fromString(key)))).toList();
                for (Future<?> put : puts) {
                    put.get();
                }
            }

            var firstPage = client.listObjectsV2(b -> b.bucket("many"));
            List<String> listed = client.listObjectsV2Paginator(b -> b.bucket("many")).contents().stream()
                    .map(S3Object::key).toList();

            assertThat(firstPage.contents()).hasSize(1_000);
            assertThat(firstPage.isTruncated()).isTrue();
            assertThat(firstPage.nextContinuationToken()).isNotBlank();
            assertThat(listed).containsExactlyElementsOf(keys);
        }
    }

    @Test
    void objectsSurviveStopAndStartOnTheSamePortAndANewStore() {
        Path data = directory.resolve("s3");
        try (EmbeddedS3 s3 = EmbeddedS3.start(data)) {
            int port = s3.port();
            s3.createBucket("kept");
            try (S3Client client = s3.newClient()) {
                client.putObject(b -> b.bucket("kept").key("a"), RequestBody.fromString("still here"));
            }

            s3.stop();

            assertThat(s3.isRunning()).isFalse();
            try (S3Client client = s3.newClient()) {
                assertThatThrownBy(() -> client.listBuckets()).isInstanceOf(SdkClientException.class);
            }

            s3.start();

            assertThat(s3.port()).isEqualTo(port);
            try (S3Client client = s3.newClient()) {
                assertThat(client.getObjectAsBytes(b -> b.bucket("kept").key("a")).asUtf8String()).isEqualTo("still here");
            }
        }
        try (EmbeddedS3 again = EmbeddedS3.start(data); S3Client client = again.newClient()) {
            again.createBucket("kept");
            assertThat(client.getObjectAsBytes(b -> b.bucket("kept").key("a")).asUtf8String()).isEqualTo("still here");
            assertThat(again.describe()).isEqualTo("S3        " + again.endpoint() + "  buckets: kept  data: " + data);
        }
    }

    @Test
    void requestsSignedWithOtherCredentialsAreRefused() {
        try (EmbeddedS3 s3 = EmbeddedS3.start(directory.resolve("s3"));
             S3Client stranger = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                     .region(LocalAwsAccount.REGION)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "wrong")))
                     .build()) {
            assertThatThrownBy(stranger::listBuckets).isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        Path data = directory.resolve("s3");
        try (EmbeddedS3 first = EmbeddedS3.start(data)) {
            assertThatThrownBy(() -> EmbeddedS3.start(data)).isInstanceOf(AlreadyInUseException.class)
                    .hasMessage("another sluice S3 is using " + data + " (pid " + ProcessHandle.current().pid() + ")");
        }
    }
}
