package dev.sluice.aws.s3;

import dev.sluice.core.engine.PermanentFailureException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Sorts what S3 answered into a failure that retrying cannot mend ({@link PermanentFailureException}: access
 * denied, a bucket that does not exist, credentials refused, a request S3 will never accept, a wrong region) and
 * one that it may (5xx, 503 SlowDown, 429, a request timeout, an expired session token, clock skew), which is
 * rethrown as it is. Connection failures and client-side timeouts are not {@link S3Exception}s and never come here:
 * they stay transient.
 *
 * <pre>{@code
 * try {
 *     s3.putObject(...);
 * } catch (S3Exception e) {
 *     throw S3Failures.permanentOrRethrow(bucket, e);
 * }
 * }</pre>
 *
 * <p>The reason names the bucket, S3's error code, the HTTP status and the request id (for AWS support), never S3's
 * message or the object key: keys may carry personal data (playtime dataset keys are whatever the uploader chose),
 * and S3's AccessDenied message names the resource, key included. For the same reason the SDK exception is not kept
 * as the cause.
 */
public final class S3Failures {

    /** 4xx error codes a later attempt can succeed after: the SDK refreshes the token, corrects the clock skew. */
    private static final Set<String> TRANSIENT_CODES = Set.of("RequestTimeout", "ExpiredToken",
            "TokenRefreshRequired", "RequestTimeTooSkewed", "OperationAborted", "SlowDown", "Throttling",
            "ThrottlingException", "RequestThrottled");
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int REQUEST_TIMEOUT = 408;

    private S3Failures() {
    }

    /**
     * The permanent failure {@code failure} is, for a call on {@code bucket}.
     *
     * @throws S3Exception {@code failure} itself, when retrying may mend it
     */
    public static PermanentFailureException permanentOrRethrow(String bucket, S3Exception failure) {
        if (!isPermanent(failure)) {
            throw failure;
        }
        String code = errorCode(failure);
        return new PermanentFailureException("S3 bucket " + bucket + ": " + code + " (HTTP " + failure.statusCode()
                + ", request id " + failure.requestId() + "); retrying cannot mend this: check the bucket, its "
                + "region and the role's permissions");
    }

    /** 3xx (a redirect: the bucket is in another region) and 4xx, but for throttling, timeouts and token expiry. */
    static boolean isPermanent(S3Exception failure) {
        int status = failure.statusCode();
        if (status < 300 || status >= 500 || status == TOO_MANY_REQUESTS || status == REQUEST_TIMEOUT) {
            return false;
        }
        return !TRANSIENT_CODES.contains(errorCode(failure));
    }

    private static String errorCode(S3Exception failure) {
        AwsErrorDetails details = failure.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        return code == null || code.isBlank() ? "no error code" : code;
    }
}
