package dev.sluice.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes synthetic files of event durations ({@link EventDurationFileWriter}) as test data, for
 * {@code sluice generate}, the demo, tests and benchmarks: users
 * {@code user_1}…{@code user_N} uniformly, {@link #EVENT_TYPES} uniformly, durations uniformly from 1 to 10 seconds,
 * Snappy-compressed like pyarrow's default. The same seed writes the same rows.
 *
 * <p>It returns the totals it wrote, counted as it wrote them, so a test can compare what the pipeline counted with
 * numbers that never went through the reader.
 *
 * <pre>{@code
 * GeneratedFile file = new EventDurationFileGenerator(10, 42).write(dir.resolve("day-1.parquet"), 100_000);
 * long expected = file.total();
 * }</pre>
 */
public final class EventDurationFileGenerator {

    public static final List<String> EVENT_TYPES = List.of("roadside", "battle", "menu");
    public static final int MIN_DURATION = 1;
    public static final int MAX_DURATION = 10;
    /** Several row groups for files of a few hundred thousand rows, so readers cross row-group boundaries. */
    public static final int ROWS_PER_ROW_GROUP = 128 * 1024;

    private final int users;
    private final SplittableRandom random;

    /**
     * @param users how many distinct users rows are spread over, at least 1
     * @param seed  the same seed writes the same rows, file after file
     */
    public EventDurationFileGenerator(int users, long seed) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        this.users = users;
        this.random = new SplittableRandom(seed);
    }

    /** Writes (or overwrites) {@code file} with {@code rows} rows and returns what it wrote. Not thread-safe. */
    public GeneratedFile write(Path file, long rows) throws IOException {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, was " + rows);
        }
        Map<String, long[]> seconds = new HashMap<>();
        try (EventDurationFileWriter writer = EventDurationFileWriter.create(file, Compression.SNAPPY,
                ROWS_PER_ROW_GROUP, true)) {
            for (long i = 0; i < rows; i++) {
                String user = "user_" + (1 + random.nextInt(users));
                int type = random.nextInt(EVENT_TYPES.size());
                long duration = random.nextInt(MIN_DURATION, MAX_DURATION + 1);
                writer.write(user, EVENT_TYPES.get(type), duration);
                seconds.computeIfAbsent(user, u -> new long[EVENT_TYPES.size()])[type] += duration;
            }
        }
        SortedMap<String, Map<String, Long>> perUser = new TreeMap<>();
        seconds.forEach((user, byType) -> {
            Map<String, Long> amounts = new TreeMap<>();
            for (int t = 0; t < byType.length; t++) {
                if (byType[t] > 0) {
                    amounts.put(EVENT_TYPES.get(t), byType[t]);
                }
            }
            perUser.put(user, Collections.unmodifiableMap(amounts));
        });
        return new GeneratedFile(file, rows, Collections.unmodifiableSortedMap(perUser));
    }

    /**
     * A file as written.
     *
     * @param perUser user id → event type → seconds written; types a user never got are absent
     */
    public record GeneratedFile(Path file, long rows, SortedMap<String, Map<String, Long>> perUser) {

        public long total() {
            return perUser.values().stream().flatMap(t -> t.values().stream()).mapToLong(Long::longValue).sum();
        }
    }
}
