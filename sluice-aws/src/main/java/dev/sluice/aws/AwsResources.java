package dev.sluice.aws;

import dev.sluice.aws.s3.S3Clients;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.SharedResource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the AWS plugins of every module share in one process: the top-level {@code aws:} section, and the S3 client
 * (thread-safe, one connection pool for every pipeline that reads or writes objects). SQS and Kinesis sources open
 * a client each, as each receiver's long poll holds one of its connections.
 *
 * <pre>{@code
 * S3Client s3 = context.shared(AwsResources.S3);   // in a plugin factory; closed when the process ends
 * }</pre>
 */
public final class AwsResources {

    /** {@code aws:} in sluice.yaml: region, endpoints, credentials, connections and timeouts. */
    public static final ConfigSection<AwsClientSettings> SECTION = new ConfigSection<>("aws", AwsClientSettings.class,
            "how to reach AWS or a server that speaks its API: region, endpoints, credentials, timeouts");

    /** The process's S3 client, made from {@link #SECTION}. */
    public static final SharedResource<S3Client> S3 = new SharedResource<>("aws s3 client",
            context -> S3Clients.create(context.section(SECTION)));

    private AwsResources() {
    }
}
