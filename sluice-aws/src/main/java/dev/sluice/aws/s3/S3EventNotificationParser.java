package dev.sluice.aws.s3;

import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.json.JsonObjectParser;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the body of an SQS message that S3 sent (directly, or through an SNS topic) into the objects it says were
 * created. Modelled on Data Prepper's {@code S3EventNotificationParser}.
 *
 * <ul>
 *   <li>One message may carry several records; each {@code ObjectCreated:*} record becomes one {@link S3ObjectRef},
 *       in message order, with its key URL-decoded ({@link S3KeyEncoding#decode}).</li>
 *   <li>An SNS envelope ({@code "Type":"Notification"} with the S3 JSON as a string in {@code Message}) is
 *       unwrapped; with raw message delivery the body is the S3 JSON itself and needs nothing.</li>
 *   <li>{@code s3:TestEvent}, which S3 sends when a notification is configured, is a drop: deleted, not an error.</li>
 *   <li>Records of any other event type ({@code ObjectRemoved:*}, restores, tagging…) are skipped before they are
 *       checked (a delete record has no ETag or size); a message with nothing but those is a drop.</li>
 *   <li>Anything else wrong rejects the whole message, with a reason naming the path and the rule, e.g.
 *       {@code Records[1].s3.object.key: required field is missing}. Reasons never quote values: keys can hold
 *       personal data. The whole message is rejected even when other records are fine, because the message is
 *       what gets acknowledged: the error sink keeps it intact for a replay.</li>
 * </ul>
 *
 * <p>Unknown fields are ignored, as AWS asks of consumers of minor versions; the major {@code eventVersion} must be
 * 2.
 *
 * <pre>{@code
 * Outcome<List<S3ObjectRef>> objects = new S3EventNotificationParser().apply(message.body());
 * }</pre>
 */
public final class S3EventNotificationParser implements Stage<String, List<S3ObjectRef>> {

    static final String TEST_EVENT = "s3:TestEvent";
    static final String OBJECT_CREATED = "ObjectCreated:";

    private final JsonObjectParser json = new JsonObjectParser();

    @Override
    public Outcome<List<S3ObjectRef>> apply(String body) {
        try {
            return parse(body);
        } catch (Invalid invalid) {
            return Outcome.reject(invalid.getMessage());
        }
    }

    private Outcome<List<S3ObjectRef>> parse(String body) {
        ObjectNode notification = object(body, "body");
        if (notification.has("Type") && !notification.has("Records")) {
            notification = unwrapSns(notification);
        }
        if (TEST_EVENT.equals(notification.path("Event").asString(null))) {
            return Outcome.drop(TEST_EVENT + ": sent by S3 to check a new notification configuration");
        }
        JsonNode records = notification.get("Records");
        if (records == null) {
            throw new Invalid("Records: required field is missing");
        }
        if (!(records instanceof ArrayNode array)) {
            throw new Invalid("Records: expected an array, got " + JsonKinds.describe(records));
        }
        if (array.isEmpty()) {
            throw new Invalid("Records: expected at least one record, got an empty array");
        }
        List<S3ObjectRef> created = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String path = "Records[" + i + "]";
            ObjectNode record = objectAt(array.get(i), path);
            String eventName = text(record, path, "eventName");
            if (eventName.startsWith(OBJECT_CREATED)) {
                created.add(objectCreated(record, path, eventName));
            }
        }
        if (created.isEmpty()) {
            return Outcome.drop("no ObjectCreated records: " + array.size()
                    + (array.size() == 1 ? " record" : " records") + " of other event types ignored");
        }
        return Outcome.emit(List.copyOf(created));
    }

    /** S3 → SNS → SQS without raw message delivery: the S3 JSON is a string inside the SNS notification. */
    private ObjectNode unwrapSns(ObjectNode envelope) {
        JsonNode type = envelope.get("Type");
        if (!"Notification".equals(type.asString(null))) {
            throw new Invalid("Type: an SNS envelope must be of type Notification");
        }
        JsonNode message = envelope.get("Message");
        if (message == null) {
            throw new Invalid("Message: required field is missing");
        }
        if (!message.isString()) {
            throw new Invalid("Message: expected a string holding the S3 notification JSON, got " + JsonKinds.describe(message));
        }
        return object(message.stringValue(), "Message");
    }

    private ObjectNode object(String text, String name) {
        Outcome<ObjectNode> parsed = json.apply(text);
        return switch (parsed) {
            case Outcome.Emit<ObjectNode> emit -> emit.value();
            // JsonObjectParser's reasons start with "body:"; inside an SNS envelope the JSON is in "Message"
            case Outcome.Reject<ObjectNode> reject -> throw new Invalid(name + reject.reason().substring(4));
            case Outcome.Drop<ObjectNode> drop -> throw new IllegalStateException("JSON parser dropped a body");
        };
    }

    private static S3ObjectRef objectCreated(ObjectNode record, String path, String eventName) {
        String version = text(record, path, "eventVersion");
        if (!version.startsWith("2.")) {
            throw new Invalid(path + ".eventVersion: major version must be 2");
        }
        Instant eventTime = instant(record, path, "eventTime");
        ObjectNode s3 = objectAt(record.get("s3"), path + ".s3");
        ObjectNode bucket = objectAt(s3.get("bucket"), path + ".s3.bucket");
        ObjectNode object = objectAt(s3.get("object"), path + ".s3.object");
        String objectPath = path + ".s3.object";
        String key;
        try {
            key = S3KeyEncoding.decode(text(object, objectPath, "key"));
        } catch (IllegalArgumentException e) {
            throw new Invalid(objectPath + ".key: " + e.getMessage());
        }
        return new S3ObjectRef(
                text(bucket, path + ".s3.bucket", "name"),
                key,
                size(object, objectPath),
                text(object, objectPath, "eTag"),
                eventTime,
                eventName,
                optionalText(object, objectPath, "versionId"),
                optionalText(object, objectPath, "sequencer"));
    }

    private static ObjectNode objectAt(JsonNode node, String path) {
        if (node == null) {
            throw new Invalid(path + ": required field is missing");
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new Invalid(path + ": expected an object, got " + JsonKinds.describe(node));
    }

    private static String text(ObjectNode parent, String parentPath, String field) {
        JsonNode node = parent.get(field);
        String path = parentPath + "." + field;
        if (node == null || node.isNull()) {
            throw new Invalid(path + ": required field is missing");
        }
        if (!node.isString()) {
            throw new Invalid(path + ": expected a string, got " + JsonKinds.describe(node));
        }
        if (node.stringValue().isEmpty()) {
            throw new Invalid(path + ": must not be empty");
        }
        return node.stringValue();
    }

    /** {@code versionId} is absent or {@code null} in buckets without versioning. */
    private static Optional<String> optionalText(ObjectNode parent, String parentPath, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(parent, parentPath, field));
    }

    private static long size(ObjectNode object, String objectPath) {
        JsonNode node = object.get("size");
        String path = objectPath + ".size";
        if (node == null || node.isNull()) {
            throw new Invalid(path + ": required field is missing");
        }
        if (!node.isIntegralNumber()) {
            throw new Invalid(path + ": expected a whole number of bytes, got " + JsonKinds.describe(node));
        }
        if (!node.canConvertToLong()) {
            throw new Invalid(path + ": larger than the largest possible object");
        }
        if (node.longValue() < 0) {
            throw new Invalid(path + ": must not be negative");
        }
        return node.longValue();
    }

    private static Instant instant(ObjectNode record, String path, String field) {
        String text = text(record, path, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Invalid(path + "." + field + ": expected an ISO-8601 UTC time like 1970-01-01T00:00:00.000Z");
        }
    }

    /** A rule the notification breaks; becomes the reject reason. Control flow only, so no stack trace. */
    private static final class Invalid extends RuntimeException {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }
}
