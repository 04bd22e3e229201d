package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parses the AWS documentation's own samples and samples derived from them; sources are in
 * {@code src/test/resources/s3-events/README.md} (S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html,
 * SNS: https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html).
 */
class S3EventNotificationParserTest {

    private static final S3ObjectRef HAPPY_FACE = new S3ObjectRef("mybucket", "HappyFace.jpg", 1024,
            "d41d8cd98f00b204e9800998ecf8427e", Instant.EPOCH, "ObjectCreated:Put",
            Optional.of("096fKKXTRTtl3on89fVO.nfljtsv6qko"), Optional.of("0055AED6DCD90281E5"));

    private final S3EventNotificationParser parser = new S3EventNotificationParser();

    @Test
    void parsesTheAwsPutExample() {
        assertThat(parser.apply(S3EventSamples.load("aws-doc-put.json"))).isEqualTo(Outcome.emit(List.of(HAPPY_FACE)));
    }

    @Test
    void unwrapsAnSnsEnvelope() {
        assertThat(parser.apply(S3EventSamples.load("derived-sns-wrapped-put.json")))
                .isEqualTo(Outcome.emit(List.of(HAPPY_FACE)));
    }

    @Test
    void theTestEventIsADrop() {
        assertThat(parser.apply(S3EventSamples.load("aws-doc-test-event.json"))).isInstanceOfSatisfying(
                Outcome.Drop.class, drop -> assertThat(drop.why()).startsWith("s3:TestEvent:"));
        assertThat(parser.apply(S3EventSamples.load("derived-sns-wrapped-test-event.json")))
                .isInstanceOf(Outcome.Drop.class);
    }

    @Test
    void readsEveryCreatedRecordOfAMessageInOrderAndSkipsRemovals() {
        Outcome<List<S3ObjectRef>> outcome = parser.apply(S3EventSamples.load("derived-multi-record.json"));

        S3ObjectRef multipart = new S3ObjectRef("mybucket", "datasets/2026/day 1.parquet", 104_857_600,
                "9b2cf535f27731c974343645a3985328-13", Instant.parse("1970-01-01T00:00:01Z"),
                "ObjectCreated:CompleteMultipartUpload", Optional.empty(), Optional.of("0055AED6DCD90281E6"));
        assertThat(outcome).isEqualTo(Outcome.emit(List.of(HAPPY_FACE, multipart)));
    }

    @Test
    void aMessageWithOnlyRemovalsIsADrop() {
        assertThat(parser.apply(S3EventSamples.load("derived-object-removed.json")))
                .isEqualTo(Outcome.drop("no ObjectCreated records: 2 records of other event types ignored"));
    }

    @Test
    void decodesKeys() {
        Outcome<List<S3ObjectRef>> outcome = parser.apply(S3EventSamples.load("derived-encoded-keys.json"));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Emit.class, emit -> assertThat(
                ((List<?>) emit.value()).stream().map(ref -> ((S3ObjectRef) ref).key()).toList()).containsExactly(
                "red flower.jpg",
                "this im + age blah.txt",
                "test/10:47:07.20151213-1450022300.log.bz2",
                "dt=2026-11-22/été 日本 😀.parquet",
                "100% done/a+b.parquet"));
    }

    @Test
    void versionIdNullIsAbsent() {
        String body = S3EventSamples.load("aws-doc-put.json")
                .replace("\"096fKKXTRTtl3on89fVO.nfljtsv6qko\"", "null");

        assertThat(parser.apply(body)).isInstanceOfSatisfying(Outcome.Emit.class, emit ->
                assertThat(((S3ObjectRef) ((List<?>) emit.value()).getFirst()).versionId()).isEmpty());
    }

    @Test
    void malformedJsonIsARejectWithoutTheInput() {
        assertThat(parser.apply("{\"Records\": [secret]}"))
                .isEqualTo(Outcome.reject("body: not valid JSON (line 1, column 14)"));
        assertThat(parser.apply("")).isEqualTo(Outcome.reject("body: empty, expected a JSON object"));
        assertThat(parser.apply("[]")).isEqualTo(Outcome.reject("body: expected a JSON object, got an array"));
    }

    @Test
    void anSnsEnvelopeThatDoesNotHoldJsonIsAReject() {
        // the SNS documentation's own example carries "Hello world!"
        assertThat(parser.apply(S3EventSamples.load("aws-doc-sns-notification.json")))
                .isEqualTo(Outcome.reject("Message: not valid JSON (line 1, column 1)"));
        assertThat(parser.apply("{\"Type\":\"Notification\"}"))
                .isEqualTo(Outcome.reject("Message: required field is missing"));
        assertThat(parser.apply("{\"Type\":\"Notification\",\"Message\":{\"Records\":[]}}")).isEqualTo(Outcome.reject(
                "Message: expected a string holding the S3 notification JSON, got an object"));
        assertThat(parser.apply("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"You have chosen…\"}"))
                .isEqualTo(Outcome.reject("Type: an SNS envelope must be of type Notification"));
    }

    @Test
    void recordsAreRequired() {
        assertThat(parser.apply("{\"Event\":\"s3:SomethingElse\"}"))
                .isEqualTo(Outcome.reject("Records: required field is missing"));
        assertThat(parser.apply("{\"Records\":{}}"))
                .isEqualTo(Outcome.reject("Records: expected an array, got an object"));
        assertThat(parser.apply("{\"Records\":[]}"))
                .isEqualTo(Outcome.reject("Records: expected at least one record, got an empty array"));
        assertThat(parser.apply("{\"Records\":[\"x\"]}"))
                .isEqualTo(Outcome.reject("Records[0]: expected an object, got a string"));
    }

    /** The second record of the multi-record sample, broken in one place; the reason names the path. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            "key":"datasets/2026/day+1.parquet",   |                          | Records[1].s3.object.key: required field is missing
            "eTag":"9b2cf535f27731c974343645a3985328-13", |                   | Records[1].s3.object.eTag: required field is missing
            "name":"mybucket"                      | "nome":"mybucket"        | Records[1].s3.bucket.name: required field is missing
            "key":"datasets/2026/day+1.parquet"    | "key":"day%ZZ1.parquet"  | Records[1].s3.object.key: malformed percent-escape at character 4, expected % and two hex digits
            "key":"datasets/2026/day+1.parquet"    | "key":"day%FF1.parquet"  | Records[1].s3.object.key: percent-escapes do not form valid UTF-8
            "key":"datasets/2026/day+1.parquet"    | "key":""                 | Records[1].s3.object.key: must not be empty
            "key":"datasets/2026/day+1.parquet"    | "key":17                 | Records[1].s3.object.key: expected a string, got a number
            "size":104857600                       | "size":"104857600"       | Records[1].s3.object.size: expected a whole number of bytes, got a string
            "size":104857600                       | "size":-1                | Records[1].s3.object.size: must not be negative
            "size":104857600                       | "size":1.5               | Records[1].s3.object.size: expected a whole number of bytes, got a number
            "size":104857600                       | "size":99999999999999999999 | Records[1].s3.object.size: larger than the largest possible object
            "eventTime":"1970-01-01T00:00:01.000Z" | "eventTime":"yesterday"  | Records[1].eventTime: expected an ISO-8601 UTC time like 1970-01-01T00:00:00.000Z
            "eventName":"ObjectCreated:CompleteMultipartUpload" | "eventName":null | Records[1].eventName: required field is missing
            "eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-west-2","eventTime":"1970-01-01T00:00:01.000Z" | "eventVersion":"3.0","eventSource":"aws:s3","awsRegion":"us-west-2","eventTime":"1970-01-01T00:00:01.000Z" | Records[1].eventVersion: major version must be 2
            """)
    void aBrokenRecordRejectsTheMessageNamingThePathAndTheRule(String original, String broken, String reason) {
        String sample = compact(S3EventSamples.load("derived-multi-record.json"));
        String body = replaceInSecondRecord(sample, original, broken == null ? "" : broken);

        assertThat(parser.apply(body)).isInstanceOfSatisfying(Outcome.Reject.class, reject -> {
            assertThat(reject.reason()).isEqualTo(reason);
            assertThat(reject.reason()).doesNotContain("datasets", "day", "9b2cf535", "mybucket", "yesterday");
        });
    }

    @Test
    void aMissingS3ObjectOrBucketIsNamed() {
        String sample = compact(S3EventSamples.load("aws-doc-put.json"));

        assertThat(parser.apply(sample.replace("\"s3\":{", "\"s4\":{")))
                .isEqualTo(Outcome.reject("Records[0].s3: required field is missing"));
        assertThat(parser.apply(sample.replace("\"object\":{", "\"objet\":{")))
                .isEqualTo(Outcome.reject("Records[0].s3.object: required field is missing"));
        assertThat(parser.apply(sample.replace("\"bucket\":{", "\"bucket\":[],\"x\":{")))
                .isEqualTo(Outcome.reject("Records[0].s3.bucket: expected an object, got an array"));
    }

    /** The samples without line breaks and indentation, so fields can be replaced as text. */
    private static String compact(String sample) {
        return sample.replaceAll("\\s*\n\\s*", "").replace("\": ", "\":");
    }

    private static String replaceInSecondRecord(String sample, String original, String replacement) {
        int start = sample.lastIndexOf("{\"eventVersion\"", sample.indexOf("ObjectCreated:CompleteMultipartUpload"));
        int at = sample.indexOf(original.strip(), start);
        assertThat(at).as("record 1 of the sample holds %s", original).isGreaterThan(start);
        return sample.substring(0, at) + replacement.strip() + sample.substring(at + original.strip().length());
    }
}
