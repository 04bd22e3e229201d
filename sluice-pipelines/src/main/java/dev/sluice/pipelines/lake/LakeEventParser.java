package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.JsonKinds;
import dev.sluice.core.json.JsonObjectParser;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.LakePartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A stream record → a {@link LakeEvent} (DESIGN.md §1.4, docs/pipelines/lake.md), or a reject whose reason names
 * the field and the rule, never a value.
 *
 * <p>Rules: a JSON object of at most {@value #MAX_RECORD_BYTES} bytes (Kinesis' record limit: anything Kinesis
 * delivers is taken whole); {@code event_uuid} a non-empty string of at most {@value #MAX_EVENT_UUID_LENGTH}
 * characters with no control character (U+0000-U+001F, U+007F-U+009F) and no unpaired surrogate (a lone surrogate
 * escape in the JSON): it is the key of {@code lake_seen}, which cannot store NUL, text that is not UTF-8, or a key
 * past the index's row limit (about 2.7 KB), and such an event would stop the pipeline instead of being rejected;
 * {@code event_name} {@code type:subtype[:more]} with no empty part, or a single part (then {@code event_subtype} is
 * null), and a type that is a safe path segment
 * ({@link LakePartition#EVENT_TYPE_RULE}); {@code created_at} a JSON number of Unix seconds, int or float, not
 * negative and at most {@code maxFuture} ahead of now. Every other field goes to the payload, JSON-equal to what was
 * sent: numbers keep their digits and scale ({@code 12.50}), never rounded through a double.
 *
 * <pre>{@code
 * Stage<Message, LakeEvent> parse = new LakeEventParser(Duration.ofDays(1), Clock.systemUTC());
 * }</pre>
 */
public final class LakeEventParser implements Stage<Message, LakeEvent> {

    /** Kinesis' maximum record data size, 1 MiB. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** 256 characters are at most 1 KiB of UTF-8: far inside the btree row limit of {@code lake_seen}'s key. */
    public static final int MAX_EVENT_UUID_LENGTH = 256;
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofDays(1);

    private static final JsonMapper PAYLOAD = JsonMapper.builder().build();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final JsonObjectParser json = new JsonObjectParser(MAX_RECORD_BYTES);
    private final Duration maxFuture;
    private final Clock clock;

    /**
     * @param maxFuture how far ahead of {@code clock} an event time may be (clock skew of producers), not negative
     */
    public LakeEventParser(Duration maxFuture, Clock clock) {
        this.maxFuture = Objects.requireNonNull(maxFuture, "maxFuture");
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("maxFuture must not be negative, was " + maxFuture);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LakeEventParser() {
        this(DEFAULT_MAX_FUTURE, Clock.systemUTC());
    }

    @Override
    public Outcome<LakeEvent> apply(Message message) {
        return switch (json.apply(message.body())) {
            case Outcome.Emit<ObjectNode> emit -> enrich(emit.value());
            case Outcome.Drop<ObjectNode> drop -> Outcome.drop(drop.why());
            case Outcome.Reject<ObjectNode> reject -> Outcome.reject(reject.reason());
        };
    }

    private Outcome<LakeEvent> enrich(ObjectNode record) {
        JsonNode uuid = record.remove("event_uuid");
        if (uuid == null || !uuid.isString() || uuid.stringValue().isEmpty()) {
            return Outcome.reject("event_uuid: " + (uuid == null ? "missing" : "expected a non-empty string, got "
                    + JsonKinds.describe(uuid)));
        }
        String unstorable = unstorableKey(uuid.stringValue());
        if (unstorable != null) {
            return Outcome.reject("event_uuid: " + unstorable);
        }
        JsonNode name = record.remove("event_name");
        if (name == null || !name.isString()) {
            return Outcome.reject("event_name: " + (name == null ? "missing" : "expected a string, got "
                    + JsonKinds.describe(name)));
        }
        String[] parts = name.stringValue().split(":", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return Outcome.reject("event_name: an empty part; expected type:subtype[:more] or a single type");
            }
        }
        if (!LakePartition.isSafeEventType(parts[0])) {
            return Outcome.reject("event_name: its type (the first part) must be " + LakePartition.EVENT_TYPE_RULE);
        }
        JsonNode created = record.remove("created_at");
        if (created == null || !created.isNumber()) {
            return Outcome.reject("created_at: " + (created == null ? "missing" : "expected a JSON number of Unix "
                    + "seconds, got " + JsonKinds.describe(created)));
        }
        BigDecimal seconds = created.decimalValue();
        if (seconds.signum() < 0) {
            return Outcome.reject("created_at: must not be negative");
        }
        Instant latest = clock.instant().plus(maxFuture);
        if (seconds.compareTo(BigDecimal.valueOf(latest.getEpochSecond())) > 0) {
            return Outcome.reject("created_at: more than " + maxFuture + " in the future");
        }
        return Outcome.emit(new LakeEvent(uuid.stringValue(), name.stringValue(), parts[0],
                parts.length > 1 ? parts[1] : null, seconds.doubleValue(), isoUtc(seconds),
                PAYLOAD.writeValueAsString(record)));
    }

    /** Why {@code key} cannot be a {@code lake_seen} key, without quoting it; null when it can. */
    static String unstorableKey(String key) {
        if (key.length() > MAX_EVENT_UUID_LENGTH) {
            return "longer than " + MAX_EVENT_UUID_LENGTH + " characters (" + key.length() + ")";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "must not contain a control character (U+0000-U+001F, U+007F-U+009F), found one at "
                        + "position " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode, found an unpaired surrogate at position " + i;
            }
        }
        return null;
    }

    /** {@code 1700000000.50} → {@code 2023-11-14T22:13:20.50Z}: whole seconds formatted, the fraction as sent. */
    static String isoUtc(BigDecimal seconds) {
        String plain = seconds.toPlainString();
        int point = plain.indexOf('.');
        String fraction = point < 0 ? "" : plain.substring(point);
        return SECONDS.format(Instant.ofEpochSecond(seconds.longValue())) + fraction + "Z";
    }
}
