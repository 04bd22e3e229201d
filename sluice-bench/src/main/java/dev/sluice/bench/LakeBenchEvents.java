package dev.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Lake events as a producer would send them, for the lake writer benchmark: {@code types} event types with Zipf
 * skew (type k is drawn with weight 1/k, so the first type gets about a fifth of 100 types' events), event times
 * spread over the {@code days} UTC days before {@code end}, half of them with a millisecond fraction, and a few
 * payload fields per type (strings, decimals, integers, booleans, arrays). The same seed makes the same events.
 *
 * <pre>{@code
 * LakeBenchEvents events = new LakeBenchEvents(100, 2, end, 42);
 * String body = events.next(0);   // {"event_uuid":"…","event_name":"type1:sub0","created_at":…,…}
 * }</pre>
 */
final class LakeBenchEvents {
    private final double[] cumulative;
    private final long firstSecond;
    private final long seconds;
    private final SplittableRandom random;

    /** @param end the event times lie in the {@code days} whole UTC days before the day of {@code end} */
    LakeBenchEvents(int types, int days, Instant end, long seed) {
        cumulative = new double[types];
        double sum = 0;
        for (int k = 0; k < types; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        for (int k = 0; k < types; k++) {
            cumulative[k] /= sum;
        }
        long endDay = Math.floorDiv(end.getEpochSecond(), 86_400) * 86_400;
        firstSecond = endDay - Duration.ofDays(days).toSeconds();
        seconds = Duration.ofDays(days).toSeconds();
        random = new SplittableRandom(seed);
    }

    /** The next event's JSON body; {@code i} makes its event_uuid unique. Not thread-safe. */
    String next(long i) {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        int type = 1 + (index < 0 ? -index - 1 : index);
        long second = firstSecond + random.nextLong(seconds);
        String createdAt = random.nextBoolean() ? Long.toString(second)
                : second + "." + String.format(Locale.ROOT, "%03d", random.nextInt(1000));
        StringBuilder body = new StringBuilder(256)
                .append("{\"event_uuid\":\"").append(new UUID(random.nextLong(), i))
                .append("\",\"event_name\":\"type").append(type).append(":sub").append(random.nextInt(3))
                .append("\",\"created_at\":").append(createdAt)
                .append(",\"user_id\":\"user_").append(random.nextInt(100_000)).append('"')
                .append(",\"amount\":").append(random.nextInt(10_000)).append('.').append(random.nextInt(10))
                .append(random.nextInt(10))
                .append(",\"count\":").append(random.nextInt(1_000))
                .append(",\"flag\":").append(random.nextBoolean());
        if (type % 3 == 0) {
            body.append(",\"tags\":[\"t").append(random.nextInt(20)).append("\",\"t").append(random.nextInt(20))
                    .append("\"]");
        }
        if (type % 5 == 0) {
            body.append(",\"device\":{\"os\":\"").append(random.nextBoolean() ? "android" : "ios")
                    .append("\",\"version\":\"").append(random.nextInt(20)).append('.').append(random.nextInt(10))
                    .append("\"}");
        }
        return body.append('}').toString();
    }
}
