package dev.sluice.cli.pipelinetest;

import dev.sluice.aws.s3.S3EventNotificationBuilder;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.SourceCoordinates;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a case's input into the message its pipeline's source would hand out, with the coordinates that source
 * gives (an SQS message id, a shard and sequence number), sent at the test's clock unless the envelope says when.
 * One key says what the input is:
 *
 * <ul>
 *   <li>{@code body}: the message body as text; {@code json}: a YAML value written as JSON text;</li>
 *   <li>{@code sqs}: an SQS message as {@code aws sqs receive-message} prints one ({@code MessageId}, {@code Body},
 *       optional {@code MD5OfBody}, {@code Attributes.SentTimestamp}, {@code Attributes.ApproximateReceiveCount}),
 *       as YAML or as JSON text; for pipelines whose source is a queue;</li>
 *   <li>{@code kinesis}: a record as {@code aws kinesis get-records} prints one ({@code SequenceNumber},
 *       {@code Data} in base64, optional {@code PartitionKey}, {@code ApproximateArrivalTimestamp}); for a
 *       {@code kinesis} source;</li>
 *   <li>{@code s3}: an object-created notification, as S3 sends it, for {@code {bucket, key, size, etag}}, through
 *       SQS or ({@code via: sns}) an SNS topic; for pipelines whose source is a queue.</li>
 * </ul>
 */
final class Inputs {

    static final List<String> KINDS = List.of("body", "json", "sqs", "kinesis", "s3");
    private static final List<String> QUEUE_SOURCES = List.of("sqs", "s3_notifications");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SHARD = "shardId-000000000000";

    private final String sourceType;
    private final String sourceName;
    private final Clock clock;

    /**
     * @param sourceType the definition's source type ({@code sqs}, {@code kinesis}, …)
     * @param sourceName its queue or stream, for the coordinates
     */
    Inputs(String sourceType, String sourceName, Clock clock) {
        this.sourceType = sourceType;
        this.sourceName = sourceName;
        this.clock = clock;
    }

    /** The {@code number}th message of a case (from 1), from the input written at {@code node}. */
    Message message(ConfigNode node, int number, String inCase) {
        List<String> kinds = node.keys().stream().filter(KINDS::contains).toList();
        if (!node.isMapping() || kinds.size() != 1 || node.keys().size() != 1) {
            throw node.problem(inCase + "an input is one of " + String.join(", ", KINDS)
                    + (node.isMapping() ? " (found " + String.join(", ", node.keys()) + ")" : ""));
        }
        String kind = kinds.getFirst();
        ConfigNode value = node.at(kind);
        String where = inCase + kind + " input: ";
        return switch (kind) {
            case "body" -> plain(value.text().orElseThrow(() -> value.problem(where + "expected the body as text"
                    + " (write json: for a YAML value to send as JSON)")), number);
            case "json" -> plain(JSON.writeValueAsString(value.value()), number);
            case "sqs" -> sqs(value, where);
            case "kinesis" -> kinesis(value, where);
            default -> s3(value, number, where);
        };
    }

    private Message plain(String body, int number) {
        Instant now = clock.instant();
        if (sourceType.equals("kinesis")) {
            return new Message(body, new SourceCoordinates.Stream(sourceName, SHARD, String.valueOf(number)), now,
                    SHARD + "@" + number);
        }
        String id = "test-message-" + number;
        return new Message(body, new SourceCoordinates.Queue(sourceName, id, 1), now, id);
    }

    private Message sqs(ConfigNode node, String where) {
        requireSource(node, where, QUEUE_SOURCES);
        ObjectNode message = object(node, where, "an SQS message (MessageId, Body, Attributes, …)");
        String id = text(node, message, "MessageId", where);
        String body = text(node, message, "Body", where);
        if (message.has("MD5OfBody")) {
            String md5 = text(node, message, "MD5OfBody", where);
            if (!md5.equalsIgnoreCase(md5(body))) {
                throw node.problem(where + "MD5OfBody is not the MD5 of Body (SQS would not have delivered it)");
            }
        }
        JsonNode attributes = message.path("Attributes");
        Instant sentAt = clock.instant();
        int receiveCount = 1;
        if (attributes.has("SentTimestamp")) {
            sentAt = Instant.ofEpochMilli(whole(node, attributes.get("SentTimestamp"), "Attributes.SentTimestamp",
                    where, "milliseconds since 1970"));
        }
        if (attributes.has("ApproximateReceiveCount")) {
            long count = whole(node, attributes.get("ApproximateReceiveCount"), "Attributes.ApproximateReceiveCount",
                    where, "a count from 1");
            if (count < 1 || count > Integer.MAX_VALUE) {
                throw node.problem(where + "Attributes.ApproximateReceiveCount must be at least 1");
            }
            receiveCount = (int) count;
        }
        return new Message(body, new SourceCoordinates.Queue(sourceName, id, receiveCount), sentAt,
                message.path("ReceiptHandle").asString(id));
    }

    private Message kinesis(ConfigNode node, String where) {
        requireSource(node, where, List.of("kinesis"));
        ObjectNode record = object(node, where, "a Kinesis record (SequenceNumber, Data, PartitionKey, …)");
        String sequence = text(node, record, "SequenceNumber", where);
        if (!sequence.matches("[0-9]{1,128}")) {
            throw node.problem(where + "SequenceNumber must be digits, as Kinesis writes it");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(text(node, record, "Data", where));
        } catch (IllegalArgumentException e) {
            throw node.problem(where + "Data must be base64, as Kinesis writes a record's bytes ("
                    + e.getMessage() + ")");
        }
        Instant arrived = clock.instant();
        JsonNode at = record.get("ApproximateArrivalTimestamp");
        if (at != null) {
            arrived = arrival(node, at, where);
        }
        return new Message(new String(data, StandardCharsets.UTF_8),
                new SourceCoordinates.Stream(sourceName, SHARD, sequence), arrived, SHARD + "@" + sequence);
    }

    private Message s3(ConfigNode node, int number, String where) {
        requireSource(node, where, QUEUE_SOURCES);
        if (!node.isMapping()) {
            throw node.problem(where + "expected {bucket, key, size, etag}, and via: sns for an SNS topic");
        }
        for (String key : node.keys()) {
            if (!List.of("bucket", "key", "size", "etag", "via").contains(key)) {
                throw node.at(key).problem(where + "unknown key '" + key + "' (known: bucket, key, size, etag, via)");
            }
        }
        String bucket = node.at("bucket").text().orElseThrow(() -> node.problem(where + "bucket is required"));
        String key = node.at("key").text().orElseThrow(() -> node.problem(where + "key is required"));
        JsonNode size = node.at("size").value();
        if (!size.isMissingNode() && !(size.isIntegralNumber() && size.asLong() >= 0)) {
            throw node.at("size").problem(where + "size must be a whole number of bytes, 0 or more");
        }
        String etag = node.at("etag").text().orElse("test-etag-" + number);
        String via = node.at("via").text().orElse("sqs");
        if (!via.equals("sqs") && !via.equals("sns")) {
            throw node.at("via").problem(where + "via is sqs (S3 notifies the queue) or sns (through a topic)");
        }
        String body = new S3EventNotificationBuilder("us-east-1").objectCreated(bucket, key,
                size.isMissingNode() ? 0 : size.asLong(), etag, clock.instant());
        if (via.equals("sns")) {
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("Type", "Notification");
            envelope.put("MessageId", "test-notification-" + number);
            envelope.put("TopicArn", "arn:aws:sns:us-east-1:000000000000:test");
            envelope.put("Subject", "Amazon S3 Notification");
            envelope.put("Message", body);
            envelope.put("Timestamp", clock.instant().toString());
            body = JSON.writeValueAsString(envelope);
        }
        return plain(body, number);
    }

    private void requireSource(ConfigNode node, String where, List<String> sources) {
        if (!sources.contains(sourceType)) {
            throw node.problem(where + "cannot reach this pipeline, whose source is " + sourceType
                    + " (this input is for " + String.join(" or ", sources) + " sources)");
        }
    }

    /** The envelope written as YAML, or as JSON text (pasted from the AWS CLI). */
    private static ObjectNode object(ConfigNode node, String where, String what) {
        JsonNode value = node.value();
        if (value.isString()) {
            try {
                value = JSON.readTree(value.stringValue());
            } catch (JacksonException e) {
                throw node.problem(where + "not valid JSON" + Optional.ofNullable(e.getLocation())
                        .map(at -> " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")").orElse(""));
            }
        }
        if (!(value instanceof ObjectNode object)) {
            throw node.problem(where + "expected " + what);
        }
        return object;
    }

    private static String text(ConfigNode node, JsonNode object, String key, String where) {
        JsonNode value = object.get(key);
        if (value == null || !value.isString()) {
            throw node.problem(where + key + " is required, as text");
        }
        return value.stringValue();
    }

    /** AWS writes attributes as text ("1733570000000"); YAML written by hand may hold the number. */
    private static long whole(ConfigNode node, JsonNode value, String key, String where, String what) {
        String text = value.isNumber() || value.isString() ? value.asString() : "";
        if (!text.matches("[0-9]{1,18}")) {
            throw node.problem(where + key + " must be a whole number (" + what + ")");
        }
        return Long.parseLong(text);
    }

    /** Seconds since 1970 with a fraction, as the AWS CLI prints it, or ISO 8601 text. */
    private static Instant arrival(ConfigNode node, JsonNode value, String where) {
        try {
            if (value.isNumber()) {
                BigDecimal seconds = value.decimalValue();
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            if (value.isString()) {
                return OffsetDateTime.parse(value.stringValue()).toInstant();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw badArrival(node, where);
        }
        throw badArrival(node, where);
    }

    private static RuntimeException badArrival(ConfigNode node, String where) {
        return node.problem(where + "ApproximateArrivalTimestamp must be seconds since 1970 or a time such as"
                + " 2026-12-07T10:00:00Z");
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
