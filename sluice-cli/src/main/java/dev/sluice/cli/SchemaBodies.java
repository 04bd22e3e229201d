package dev.sluice.cli;

import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.process.Schema;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Message bodies made from a pipeline's declared schema (its first {@code schema} processor after
 * {@code parse_json}), for {@code sluice generate PIPELINE}: valid bodies with a value of each field's type, format,
 * enum and length (optional fields sometimes absent, nullable ones sometimes null), earlier bodies sent again, and
 * malformed bodies that break exactly one rule so they land in the error sink. One generator, one {@link Random}: the
 * same seed gives the same bodies and so the same counts.
 */
final class SchemaBodies {
    /** What a body is meant to become in the pipeline. */
    enum Kind { VALID, DUPLICATE, MALFORMED }

    record Body(String text, Kind kind) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Earlier valid bodies kept for duplicates; older ones are forgotten so memory stays flat for any count. */
    private static final int REMEMBERED = 1_000;
    /** Timestamps fall in the day before the clock's instant, so time-partitioned sinks see recent days. */
    private static final Duration SPREAD = Duration.ofDays(1);

    private final Map<String, Schema.Field> fields;
    private final Random random;
    private final double duplicateRate;
    private final double malformedRate;
    private final Instant now;
    private final List<String> earlier = new ArrayList<>();
    private final long[] counts = new long[Kind.values().length];

    SchemaBodies(Schema.Settings schema, long seed, double duplicateRate, double malformedRate, Clock clock) {
        for (double rate : new double[]{duplicateRate, malformedRate}) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("--duplicate-rate and --malformed-rate must be between 0 and 1");
            }
        }
        if (duplicateRate + malformedRate > 1) {
            throw new IllegalArgumentException("--duplicate-rate plus --malformed-rate must be at most 1");
        }
        this.fields = schema.fields();
        this.random = new Random(seed);
        this.duplicateRate = duplicateRate;
        this.malformedRate = malformedRate;
        this.now = clock.instant();
    }

    /**
     * The schema {@code generate} makes bodies from: the settings of the definition's first {@code schema} processor
     * after {@code parse_json}.
     *
     * @throws IllegalArgumentException naming the pipeline and what is missing when there is none
     */
    static Schema.Settings declared(String pipeline, ConfigNode definition) {
        boolean parsed = false;
        for (ConfigNode processor : definition.at("processors").elements()) {
            String type = processor.at("type").text().orElse("");
            if (type.equals("parse_json")) {
                parsed = true;
            } else if (parsed && type.equals("schema")) {
                return processor.without("type", "id").bind(Schema.Settings.class);
            }
        }
        throw new IllegalArgumentException("pipeline " + pipeline + " declares no schema to generate bodies from: "
                + (parsed ? "after its parse_json processor" : "it has no parse_json processor and")
                + " no schema processor (type: schema, fields: ...) follows; declare one, or send your own messages");
    }

    long count(Kind kind) {
        return counts[kind.ordinal()];
    }

    Body next() {
        double roll = random.nextDouble();
        Body body;
        if (roll < malformedRate) {
            body = new Body(malformed(), Kind.MALFORMED);
        } else if (roll < malformedRate + duplicateRate && !earlier.isEmpty()) {
            body = new Body(earlier.get(random.nextInt(earlier.size())), Kind.DUPLICATE);
        } else {
            String text = JSON.writeValueAsString(valid());
            if (earlier.size() == REMEMBERED) {
                earlier.set(random.nextInt(REMEMBERED), text);
            } else {
                earlier.add(text);
            }
            body = new Body(text, Kind.VALID);
        }
        counts[body.kind().ordinal()]++;
        return body;
    }

    private ObjectNode valid() {
        ObjectNode record = JSON.createObjectNode();
        fields.forEach((name, field) -> {
            if (!field.required() && random.nextInt(5) == 0) {
                return;
            }
            if (field.nullable() && random.nextInt(5) == 0) {
                record.putNull(name);
                return;
            }
            switch (field.type()) {
                case STRING -> record.put(name, text(name, field));
                case INTEGER -> record.put(name, random.nextInt(10_000));
                case NUMBER -> record.put(name, new java.math.BigDecimal(random.nextInt(100_000)).movePointLeft(2));
                case BOOLEAN -> record.put(name, random.nextBoolean());
                case TIMESTAMP -> record.put(name, instant().toString());
                case DATE -> record.put(name, instant().atZone(ZoneOffset.UTC).toLocalDate().toString());
            }
        });
        return record;
    }

    /** A body that breaks one rule: not JSON, a field of the wrong type, or a string one character too long. */
    private String malformed() {
        List<String> limited = fields.entrySet().stream().filter(e -> e.getValue().maxLength() != null)
                .map(Map.Entry::getKey).toList();
        int choice = random.nextInt(3);
        if (choice == 0) {
            return "{\"not json";
        }
        ObjectNode record = valid();
        if (choice == 1 && !limited.isEmpty()) {
            String name = limited.get(random.nextInt(limited.size()));
            record.put(name, "x".repeat(fields.get(name).maxLength() + 1));
            return JSON.writeValueAsString(record);
        }
        List<String> names = List.copyOf(fields.keySet());
        String name = names.get(random.nextInt(names.size()));
        if (fields.get(name).type() == FieldType.STRING) {
            record.putArray(name).add(1);
        } else {
            record.put(name, "not " + fields.get(name).type().description());
        }
        return JSON.writeValueAsString(record);
    }

    private Instant instant() {
        return now.minusMillis((long) (random.nextDouble() * SPREAD.toMillis())).truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS);
    }

    private String text(String name, Schema.Field field) {
        int max = field.maxLength() == null ? Integer.MAX_VALUE : field.maxLength();
        if (field.format() != null) {
            return switch (field.format()) {
                case IP -> random.nextInt(1, 224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(1, 255);
                case VERSION -> random.nextInt(1, 10) + "." + random.nextInt(20) + "." + random.nextInt(50);
                case UUID -> new UUID(random.nextLong(), random.nextLong()).toString();
                case TIMESTAMP -> instant().toString();
                case DIGITS -> digits(Math.min(max, 16));
                case ENUM -> field.values().get(random.nextInt(field.values().size()));
            };
        }
        if (max < 8) {
            // short codes (a country, a currency): capital letters, exactly as long as allowed
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < max; i++) {
                code.append((char) ('A' + random.nextInt(26)));
            }
            return code.toString();
        }
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        String value = name.toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(bytes);
        return value.length() <= max ? value : value.substring(value.length() - max);
    }

    private String digits(int length) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < length; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }
}
