package dev.sluice.pipelines.lake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Makes product events for {@code sluice generate lake} and the demo: {@code types} event names
 * {@code type:subtype} whose frequencies fall off like Zipf's law (the first name is the most common, the hundredth
 * about 1/150 as common), each name with its own payload fields; {@code created_at} in float Unix seconds (with
 * microseconds) at the clock's time, or for late events 1 to 72 hours earlier; duplicates resend an earlier event's
 * exact body, event_uuid and all.
 *
 * <pre>{@code
 * LakeEventGenerator events = new LakeEventGenerator(42, 100, 0.01, 0.05);
 * LakeEventGenerator.Generated e = events.next(Instant.now());
 * kinesis.putRecords(... e.eventUuid() as the partition key, e.body() as the data ...);
 * }</pre>
 *
 * <p>Not thread-safe: one generator per sending thread.
 */
public final class LakeEventGenerator {

    /** The Zipf exponent: a little above 1, as event counts by type in product analytics tend to be. */
    static final double SKEW = 1.1;
    static final Duration MIN_LATENESS = Duration.ofHours(1);
    static final Duration MAX_LATENESS = Duration.ofHours(72);
    private static final int REMEMBERED = 10_000;
    private static final List<String> TYPES = List.of("page", "account", "session", "search", "cart", "payment",
            "order", "product", "notification", "message", "profile", "subscription", "video", "share", "review",
            "coupon", "support", "invite", "settings", "report");
    private static final List<String> SUBTYPES = List.of("viewed", "created", "updated", "deleted", "started",
            "completed", "failed", "clicked", "opened", "closed");
    private static final List<String> FIELDS = List.of("user_id", "device", "country", "amount", "currency",
            "duration_ms", "item_count", "referrer", "plan", "success", "score", "page", "query", "position");

    /** One event: its name, id, body, and whether it was sent late or as a duplicate. */
    public record Generated(String eventName, String eventUuid, String body, Instant createdAt, boolean late,
                            boolean duplicate) {
    }

    private final Random random;
    private final double duplicateRate;
    private final double lateRate;
    private final List<String> names = new ArrayList<>();
    private final List<List<String>> fields = new ArrayList<>();
    private final double[] cumulative;
    private final Generated[] remembered = new Generated[REMEMBERED];
    private long made;

    /**
     * @param seed          makes a run repeatable: names, fields, ids and values
     * @param types         how many event names, 1 to 200
     * @param duplicateRate share of events that resend an earlier event, 0–1
     * @param lateRate      share of new events whose created_at is 1 to 72 hours back, 0–1
     */
    public LakeEventGenerator(long seed, int types, double duplicateRate, double lateRate) {
        if (types < 1 || types > TYPES.size() * SUBTYPES.size()) {
            throw new IllegalArgumentException("types must be between 1 and " + TYPES.size() * SUBTYPES.size()
                    + ", was " + types);
        }
        checkRate("duplicate-rate", duplicateRate);
        checkRate("late-rate", lateRate);
        this.random = new Random(seed);
        this.duplicateRate = duplicateRate;
        this.lateRate = lateRate;
        List<String> all = new ArrayList<>();
        for (String type : TYPES) {
            for (String subtype : SUBTYPES) {
                all.add(type + ":" + subtype);
            }
        }
        cumulative = new double[types];
        double sum = 0;
        for (int i = 0; i < types; i++) {
            names.add(all.remove(random.nextInt(all.size())));
            List<String> own = new ArrayList<>(FIELDS);
            Collections.shuffle(own, random);
            fields.add(List.copyOf(own.subList(0, 2 + random.nextInt(4))));
            sum += 1 / Math.pow(i + 1, SKEW);
            cumulative[i] = sum;
        }
        for (int i = 0; i < types; i++) {
            cumulative[i] /= sum;
        }
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
        }
    }

    /** The event names, most frequent first. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The share of events name number {@code rank} (0 = most frequent) gets. */
    public double share(int rank) {
        return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
    }

    /** The next event, created at {@code now} unless it is late or a duplicate. */
    public Generated next(Instant now) {
        if (made > 0 && random.nextDouble() < duplicateRate) {
            Generated earlier = remembered[(int) (random.nextLong(Math.min(made, REMEMBERED)))];
            return new Generated(earlier.eventName(), earlier.eventUuid(), earlier.body(), earlier.createdAt(),
                    earlier.late(), true);
        }
        int rank = rank(random.nextDouble());
        boolean late = random.nextDouble() < lateRate;
        Instant createdAt = late ? now.minusMillis(MIN_LATENESS.toMillis()
                + random.nextLong(MAX_LATENESS.toMillis() - MIN_LATENESS.toMillis())) : now;
        UUID uuid = new UUID(random.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L,
                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        StringBuilder body = new StringBuilder(256);
        body.append("{\"event_uuid\":\"").append(uuid).append("\",\"event_name\":\"").append(names.get(rank))
                .append("\",\"created_at\":").append(seconds(createdAt));
        for (String field : fields.get(rank)) {
            body.append(",\"").append(field).append("\":").append(value(field));
        }
        body.append('}');
        Generated event = new Generated(names.get(rank), uuid.toString(), body.toString(), createdAt, late, false);
        remembered[(int) (made % REMEMBERED)] = event;
        made++;
        return event;
    }

    private int rank(double dice) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] < dice) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Unix seconds with microseconds, as producers that send float seconds do. */
    private static String seconds(Instant t) {
        return String.format(Locale.ROOT, "%d.%06d", t.getEpochSecond(), t.getNano() / 1_000);
    }

    private String value(String field) {
        return switch (field) {
            case "amount", "score" -> String.format(Locale.ROOT, "%.2f", random.nextDouble() * 500);
            case "duration_ms", "item_count", "position" -> String.valueOf(random.nextInt(10_000));
            case "success" -> String.valueOf(random.nextBoolean());
            case "currency" -> random.nextBoolean() ? "\"EUR\"" : "\"USD\"";
            case "country" -> "\"" + List.of("DE", "US", "FR", "BR", "JP", "IN").get(random.nextInt(6)) + "\"";
            default -> "\"" + field.charAt(0) + Integer.toString(random.nextInt(1 << 20), 36) + "\"";
        };
    }
}
