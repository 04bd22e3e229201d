package dev.sluice.pipelines.playtime;

import dev.sluice.aws.s3.S3NotificationFilter;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.parquet.PlaytimeAggregator;
import dev.sluice.redis.PlaytimeRetention;
import dev.sluice.redis.PlaytimeStore;
import dev.sluice.server.PlaytimeApi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the {@code playtime} pipeline ({@code pipelines.playtime} in sluice.yaml). Every field has a default.
 *
 * @param source        the SQS queue S3 sends its notifications to (default {@code playtime-notifications}); the
 *                      heartbeat renews a notification's visibility while its file is counted, however long
 * @param keyPrefix     only objects whose key starts with this count (default: any key)
 * @param keySuffix     only objects whose key ends with this count (default {@code .parquet}; empty: any key)
 * @param buckets       only objects from these buckets count (default: any bucket)
 * @param workDirectory where objects are downloaded while they are counted, one file per object in work,
 *                      deleted afterwards; created if missing, and checked writable at start (default: a new
 *                      temporary directory per run, so runs as different users never share one)
 * @param rules         the row rules: nulls reject the file, durations above a day are absurd, at most 500,000
 *                      users per file (see {@link PlaytimeAggregator.Rules})
 * @param runner        concurrency; when absent, {@link #DEFAULT_RUNNER}: one file per batch, two files at once.
 *                      When given, fields it leaves out take the engine's defaults, so set {@code batchSize: 1}
 *                      along with anything else
 * @param retention     how long done markers and failure records stay in Redis (default 30 days each; see
 *                      {@link PlaytimeRetention} for what a marker's expiry trades)
 * @param pageSize      the most users or failed files one page of the read API holds, and its default
 *                      {@code limit} (default {@value PlaytimeApi#DEFAULT_PAGE_SIZE}); 1 to
 *                      {@value PlaytimeStore#MAX_PAGE_SIZE}. One page is one Redis script, which blocks Redis while
 *                      it runs
 * @param requireDeadLetterQueue whether the pipeline refuses to start, and {@code sluice check} fails, when the
 *                      queue has no redrive policy (default true): a bad file's notification is released for
 *                      redrive, so without a dead-letter queue it comes back, and is downloaded and summed again,
 *                      until the queue's retention period ends
 */
public record PlaytimeSettings(
        SqsSourceSettings source,
        String keyPrefix,
        String keySuffix,
        Set<String> buckets,
        Path workDirectory,
        PlaytimeAggregator.Rules rules,
        RunnerSettings runner,
        PlaytimeRetention retention,
        Integer pageSize,
        Boolean requireDeadLetterQueue) {

    public static final String DEFAULT_QUEUE = "playtime-notifications";
    public static final String DEFAULT_BUCKET = "playtime-datasets";
    /**
     * A message is a file, so a batch is one message: a writer never holds a file back behind another one, and a
     * bad file's release for redrive concerns its own message only.
     */
    public static final RunnerSettings DEFAULT_RUNNER = new RunnerSettings(1, 8, 1, Duration.ZERO, 2, null, null);
    public static final PlaytimeSettings DEFAULTS =
            new PlaytimeSettings(null, null, null, null, null, null, null, null, null, null);

    public PlaytimeSettings {
        source = source == null ? SqsSourceSettings.of(DEFAULT_QUEUE) : source;
        rules = rules == null ? PlaytimeAggregator.Rules.DEFAULTS : rules;
        runner = runner == null ? DEFAULT_RUNNER : runner;
        retention = retention == null ? PlaytimeRetention.DEFAULTS : retention;
        pageSize = pageSize == null ? PlaytimeApi.DEFAULT_PAGE_SIZE : pageSize;
        requireDeadLetterQueue = requireDeadLetterQueue == null || requireDeadLetterQueue;
        if (pageSize < 1 || pageSize > PlaytimeStore.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be 1 to " + PlaytimeStore.MAX_PAGE_SIZE + ", was "
                    + pageSize);
        }
        S3NotificationFilter filter = new S3NotificationFilter(keyPrefix, keySuffix, buckets);
        keyPrefix = filter.keyPrefix();
        keySuffix = filter.keySuffix();
        buckets = filter.buckets();
    }

    /** Which notified objects count. */
    public S3NotificationFilter filter() {
        return new S3NotificationFilter(keyPrefix, keySuffix, buckets);
    }
}
