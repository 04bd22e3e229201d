package dev.sluice.aws.s3;

import java.time.Duration;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How long one object transfer (a PUT from a file, a GET to a file) may take: {@code minimumTimeout} plus the time
 * its bytes need at {@code minimumBytesPerSecond}. The client's {@code apiCallTimeout} stays for the small calls
 * (HEAD, LIST, DELETE); one short timeout for a whole object would need a fast link for a large file and fail every
 * attempt of it on a slow one.
 *
 * <pre>{@code
 * new S3TransferTimeouts(Duration.ofSeconds(30), 1_048_576L).forBytes(128L << 20);   // PT2M38S
 * }</pre>
 *
 * @param minimumTimeout        what every transfer gets, whatever its size (connection, first byte, a small object)
 * @param minimumBytesPerSecond the slowest link a transfer must still get through on
 */
public record S3TransferTimeouts(Duration minimumTimeout, Long minimumBytesPerSecond) {

    public static final Duration DEFAULT_MINIMUM_TIMEOUT = Duration.ofSeconds(30);
    /** 1 MiB/s (8 Mbit/s): a 128 MB lake file may take 2 min 38 s. */
    public static final long DEFAULT_MINIMUM_BYTES_PER_SECOND = 1_048_576;
    public static final S3TransferTimeouts DEFAULTS = new S3TransferTimeouts(null, null);

    /** Where {@link S3Clients#create} puts the configured timeouts, so every transfer on that client finds them. */
    static final ExecutionAttribute<S3TransferTimeouts> ON_CLIENT = new ExecutionAttribute<>("sluice.s3Transfers");

    public S3TransferTimeouts {
        minimumTimeout = minimumTimeout == null ? DEFAULT_MINIMUM_TIMEOUT : requirePositive(minimumTimeout);
        minimumBytesPerSecond = minimumBytesPerSecond == null ? DEFAULT_MINIMUM_BYTES_PER_SECOND
                : requireRate(minimumBytesPerSecond);
    }

    /** The timeouts {@code client} was made with by {@link S3Clients#create}; the defaults for any other client. */
    public static S3TransferTimeouts of(S3Client client) {
        S3TransferTimeouts configured = client.serviceClientConfiguration().overrideConfiguration()
                .executionAttributes().getAttribute(ON_CLIENT);
        return configured == null ? DEFAULTS : configured;
    }

    /** The timeout of a transfer of {@code bytes}, retries included. */
    public Duration forBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("an object's size cannot be negative, was " + bytes);
        }
        // Whole milliseconds, rounded up; 1000 × bytes fits a long up to 9 PB, far above S3's 5 TB object limit.
        long millis = Math.ceilDiv(Math.multiplyExact(bytes, 1_000L), minimumBytesPerSecond);
        return minimumTimeout.plusMillis(millis);
    }

    private static Duration requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("s3Transfers.minimumTimeout must be positive, was " + timeout);
        }
        return timeout;
    }

    private static long requireRate(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("s3Transfers.minimumBytesPerSecond must be at least 1, was "
                    + bytesPerSecond);
        }
        return bytesPerSecond;
    }
}
