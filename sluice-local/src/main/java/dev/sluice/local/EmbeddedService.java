package dev.sluice.local;

import java.util.Map;

/**
 * One server of the embedded stack. The stack only needs what a service tells the pipelines (environment entries)
 * and the user (a line to print), so adding S3, Redis or Kinesis later does not change the stack's callers.
 */
public interface EmbeddedService extends AutoCloseable {

    /** Environment entries that point a Sluice process at this service, e.g. {@code AWS_ENDPOINT_URL_SQS}. */
    Map<String, String> environment();

    /** One human line: service name, where it listens and what it holds. */
    String describe();

    /** Stops the service; closing twice is harmless. */
    @Override
    void close();
}
