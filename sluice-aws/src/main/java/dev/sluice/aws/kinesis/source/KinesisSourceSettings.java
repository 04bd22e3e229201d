package dev.sluice.aws.kinesis.source;

import dev.sluice.aws.kinesis.reader.GetRecordsPacer;
import dev.sluice.core.engine.Backoff;
import dev.sluice.core.plugin.ReadsFrom;
import java.time.Duration;
import java.time.Instant;

/**
 * Which Kinesis stream a pipeline reads and how. Every field but {@code stream} may be {@code null} and then takes
 * its default; limits are Kinesis's own, checked here so a bad configuration fails at start naming the field.
 *
 * @param stream                 the stream's name
 * @param startPosition          where a shard without a checkpoint starts; default {@link StartPosition#TRIM_HORIZON}.
 *                               Shards that appear while the source runs (children of a reshard) always start at
 *                               their beginning, so nothing between parent and child is skipped
 * @param startTimestamp         with {@link StartPosition#AT_TIMESTAMP} (and only then): the earliest arrival time read
 * @param recordsPerCall         records asked for per GetRecords, 1 to 10,000; default 1,000
 * @param getRecordsInterval     least time between two GetRecords on one shard, at least 200 ms (Kinesis allows 5
 *                               per second per shard); default 200 ms
 * @param bufferPerShard         records read ahead per shard before its reader waits for the pipeline; default 2,000
 * @param maxPerPoll             records one poll hands out at most, 1 to 10,000; default 500
 * @param pollWait               how long a poll waits for records when none are buffered, up to 20 s; default 1 s
 * @param shardDiscoveryInterval how often ListShards looks for new shards (after a reshard); default 10 s
 * @param checkpointInterval     how often acknowledged positions are written to the checkpoint store, up to 1 min;
 *                               default 1 s. A later write only means a longer replay after a crash
 * @param throughputBackoff      waits after a throughput error (and any other failed read); default 200 ms doubling up
 *                               to 10 s, with jitter
 * @param checkpoints            the name of the checkpoint store service the {@code kinesis} source plugin keeps its
 *                               checkpoints in; default {@value #DEFAULT_CHECKPOINTS} (a table in the {@code postgres:}
 *                               database). Code that builds a {@link KinesisSource} itself gives it a store instead
 */
public record KinesisSourceSettings(
        String stream,
        StartPosition startPosition,
        Instant startTimestamp,
        Integer recordsPerCall,
        Duration getRecordsInterval,
        Integer bufferPerShard,
        Integer maxPerPoll,
        Duration pollWait,
        Duration shardDiscoveryInterval,
        Duration checkpointInterval,
        Backoff throughputBackoff,
        String checkpoints) implements ReadsFrom {

    public static final int DEFAULT_RECORDS_PER_CALL = 1_000;
    public static final Duration DEFAULT_GET_RECORDS_INTERVAL = GetRecordsPacer.MIN_INTERVAL;
    public static final int DEFAULT_BUFFER_PER_SHARD = 2_000;
    public static final int DEFAULT_MAX_PER_POLL = 500;
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHARD_DISCOVERY_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    public static final Backoff DEFAULT_THROUGHPUT_BACKOFF =
            new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    public static final String DEFAULT_CHECKPOINTS = "postgres";

    static final int MAX_RECORDS_PER_CALL = 10_000;
    static final Duration MAX_POLL_WAIT = Duration.ofSeconds(20);
    static final Duration MIN_SHARD_DISCOVERY_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

    public KinesisSourceSettings {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream must be given: the Kinesis stream's name");
        }
        startPosition = startPosition == null ? StartPosition.TRIM_HORIZON : startPosition;
        if (startPosition == StartPosition.AT_TIMESTAMP && startTimestamp == null) {
            throw new IllegalArgumentException("startTimestamp must be given with startPosition AT_TIMESTAMP");
        }
        if (startPosition != StartPosition.AT_TIMESTAMP && startTimestamp != null) {
            throw new IllegalArgumentException("startTimestamp is only used with startPosition AT_TIMESTAMP, "
                    + "startPosition is " + startPosition);
        }
        recordsPerCall = recordsPerCall == null ? DEFAULT_RECORDS_PER_CALL
                : between("recordsPerCall", recordsPerCall, MAX_RECORDS_PER_CALL, " (the GetRecords limit)");
        getRecordsInterval = getRecordsInterval == null ? DEFAULT_GET_RECORDS_INTERVAL
                : atLeast("getRecordsInterval", getRecordsInterval, GetRecordsPacer.MIN_INTERVAL,
                        " (Kinesis allows 5 GetRecords per second per shard)");
        bufferPerShard = bufferPerShard == null ? DEFAULT_BUFFER_PER_SHARD
                : between("bufferPerShard", bufferPerShard, Integer.MAX_VALUE, "");
        maxPerPoll = maxPerPoll == null ? DEFAULT_MAX_PER_POLL
                : between("maxPerPoll", maxPerPoll, MAX_RECORDS_PER_CALL, "");
        pollWait = pollWait == null ? DEFAULT_POLL_WAIT : positiveUpTo("pollWait", pollWait, MAX_POLL_WAIT);
        shardDiscoveryInterval = shardDiscoveryInterval == null ? DEFAULT_SHARD_DISCOVERY_INTERVAL
                : atLeast("shardDiscoveryInterval", shardDiscoveryInterval, MIN_SHARD_DISCOVERY_INTERVAL, "");
        checkpointInterval = checkpointInterval == null ? DEFAULT_CHECKPOINT_INTERVAL
                : positiveUpTo("checkpointInterval", checkpointInterval, MAX_CHECKPOINT_INTERVAL);
        throughputBackoff = throughputBackoff == null ? DEFAULT_THROUGHPUT_BACKOFF : throughputBackoff;
        if (checkpoints != null && checkpoints.isBlank()) {
            throw new IllegalArgumentException("checkpoints must name a checkpoint store such as "
                    + DEFAULT_CHECKPOINTS + ", or be left out");
        }
        checkpoints = checkpoints == null ? DEFAULT_CHECKPOINTS : checkpoints;
    }

    /** Settings for {@code stream} with every default: from the oldest record kept. */
    public static KinesisSourceSettings of(String stream) {
        return new KinesisSourceSettings(stream, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** These settings starting shards without a checkpoint at {@code position}. */
    public KinesisSourceSettings startingAt(StartPosition position) {
        return new KinesisSourceSettings(stream, position, null, recordsPerCall, getRecordsInterval, bufferPerShard,
                maxPerPoll, pollWait, shardDiscoveryInterval, checkpointInterval, throughputBackoff,
                checkpoints);
    }

    /** These settings starting shards without a checkpoint at the first record arrived at or after {@code time}. */
    public KinesisSourceSettings startingAt(Instant time) {
        return new KinesisSourceSettings(stream, StartPosition.AT_TIMESTAMP, time, recordsPerCall, getRecordsInterval,
                bufferPerShard, maxPerPoll, pollWait, shardDiscoveryInterval, checkpointInterval, throughputBackoff,
                checkpoints);
    }

    /** These settings looking for new shards every {@code interval}. */
    public KinesisSourceSettings discoveringShardsEvery(Duration interval) {
        return new KinesisSourceSettings(stream, startPosition, startTimestamp, recordsPerCall, getRecordsInterval,
                bufferPerShard, maxPerPoll, pollWait, interval, checkpointInterval, throughputBackoff, checkpoints);
    }

    /** {@code Kinesis stream NAME}: the stream is what two pipelines must not split between them. */
    @Override
    public String readsFrom() {
        return "Kinesis stream " + stream;
    }

    private static int between(String field, int value, int max, String why) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(field + " must be between 1 and " + max + why + ", was " + value);
        }
        return value;
    }

    private static Duration atLeast(String field, Duration value, Duration min, String why) {
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min.toMillis() + " ms" + why + ", was "
                    + value.toMillis() + " ms");
        }
        return value;
    }

    private static Duration positiveUpTo(String field, Duration value, Duration max) {
        if (!value.isPositive() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be positive and at most " + max.toSeconds() + " s, was "
                    + value.toMillis() + " ms");
        }
        return value;
    }
}
