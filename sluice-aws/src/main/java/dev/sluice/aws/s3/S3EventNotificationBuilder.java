package dev.sluice.aws.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The S3 event notification JSON for one created object, as AWS S3 would send it (event version 2.1, one
 * {@code ObjectCreated:Put} record, the key URL-encoded by {@link S3KeyEncoding#encode}). The local object store
 * cannot notify, so whatever Sluice puts there (the generator, {@code sluice upload}) publishes this itself, and the
 * pipeline cannot tell it from the real thing.
 *
 * <p>Fields S3 fills from the request (caller identity, source IP, request ids) carry fixed local values; the
 * {@code sequencer} is the event time in nanoseconds as upper-case hex, so a later upload of the same key sorts
 * later, as S3 promises. {@code versionId} is left out, as S3 does for buckets without versioning.
 *
 * <pre>{@code
 * String body = new S3EventNotificationBuilder("us-east-1")
 *         .objectCreated("playtime-datasets", "2026/day 1.parquet", 1_024, "d41d8cd98f00b204e9800998ecf8427e", now);
 * }</pre>
 */
public final class S3EventNotificationBuilder {

    static final String EVENT_VERSION = "2.1";
    static final String EVENT_NAME = "ObjectCreated:Put";
    static final String LOCAL_PRINCIPAL = "sluice";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** S3 always writes milliseconds, even when they are zero. */
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final String region;

    /** @param region the AWS region the bucket pretends to be in, e.g. {@code us-east-1} */
    public S3EventNotificationBuilder(String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must be given, e.g. us-east-1");
        }
        this.region = region;
    }

    /**
     * The notification body for {@code key} having been put into {@code bucket}.
     *
     * @param key       the object key, not encoded
     * @param eTag      the ETag the store returned for the put, without quotes
     * @param eventTime when the put finished; written with millisecond precision, as S3 does
     */
    public String objectCreated(String bucket, String key, long size, String eTag, Instant eventTime) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must be given");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must be given");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
        if (eTag == null || eTag.isBlank()) {
            throw new IllegalArgumentException("eTag must be given");
        }
        Objects.requireNonNull(eventTime, "eventTime");
        String sequencer = sequencer(eventTime);

        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", EVENT_VERSION);
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(eventTime));
        record.put("eventName", EVENT_NAME);
        record.putObject("userIdentity").put("principalId", LOCAL_PRINCIPAL);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", sequencer);
        response.put("x-amz-id-2", LOCAL_PRINCIPAL);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", LOCAL_PRINCIPAL);
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", LOCAL_PRINCIPAL);
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode object = s3.putObject("object");
        object.put("key", S3KeyEncoding.encode(key));
        object.put("size", size);
        object.put("eTag", eTag);
        object.put("sequencer", sequencer);
        return MAPPER.writeValueAsString(root);
    }

    private static String sequencer(Instant eventTime) {
        long nanos = Math.addExact(Math.multiplyExact(eventTime.getEpochSecond(), 1_000_000_000L),
                eventTime.getNano());
        return HexFormat.of().withUpperCase().toHexDigits(nanos);
    }
}
