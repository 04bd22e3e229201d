package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.PermanentFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The classification over the SDK's own exception objects, built as the SDK builds them from S3's answers. */
class S3FailuresTest {
    /** What S3 says in an AccessDenied message: the resource, key included. */
    private static final String MESSAGE = "User: arn:aws:sts::123456789012:assumed-role/sluice is not authorized to "
            + "perform: s3:PutObject on resource: arn:aws:s3:::lake/events/user-42/day.parquet";

    private static S3Exception answer(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("4442587FB7D0A2F9")
                .message(MESSAGE)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(MESSAGE).build())
                .build();
    }

    @ParameterizedTest
    @CsvSource({"403, AccessDenied", "403, InvalidAccessKeyId", "403, SignatureDoesNotMatch",
            "404, NoSuchBucket", "400, InvalidBucketName", "400, EntityTooLarge", "301, PermanentRedirect",
            "405, MethodNotAllowed", "411, MissingContentLength"})
    void refusalsRetryingCannotMendArePermanentNamingTheBucketAndTheCodeOnly(int status, String code) {
        PermanentFailureException permanent = S3Failures.permanentOrRethrow("lake", answer(status, code));

        assertThat(permanent).hasMessage("S3 bucket lake: " + code + " (HTTP " + status + ", request id "
                + "4442587FB7D0A2F9); retrying cannot mend this: check the bucket, its region and the role's "
                + "permissions").hasNoCause();
        assertThat(permanent.getMessage()).doesNotContain("user-42", "arn:");
    }

    @ParameterizedTest
    @CsvSource({"500, InternalError", "503, SlowDown", "503, ServiceUnavailable", "429, TooManyRequests",
            "408, RequestTimeout", "400, RequestTimeout", "400, ExpiredToken", "403, RequestTimeTooSkewed",
            "409, OperationAborted"})
    void failuresALaterAttemptCanGetPastAreRethrownAsTheyAre(int status, String code) {
        S3Exception transientFailure = answer(status, code);

        assertThatThrownBy(() -> S3Failures.permanentOrRethrow("lake", transientFailure)).isSameAs(transientFailure);
    }

    @Test
    void theSdksTypedExceptionIsClassifiedByItsAnswerToo() {
        S3Exception noSuchBucket = (S3Exception) NoSuchBucketException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchBucket").build()).build();

        assertThat(S3Failures.permanentOrRethrow("playtime-datasets", noSuchBucket))
                .hasMessageStartingWith("S3 bucket playtime-datasets: NoSuchBucket (HTTP 404");
    }

    @Test
    void anAnswerWithoutAnErrorCodeSaysSo() {
        S3Exception bare = (S3Exception) S3Exception.builder().statusCode(403).build();

        assertThat(S3Failures.permanentOrRethrow("lake", bare))
                .hasMessageStartingWith("S3 bucket lake: no error code (HTTP 403");
    }
}
