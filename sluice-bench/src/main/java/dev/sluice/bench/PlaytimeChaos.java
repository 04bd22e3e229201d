package dev.sluice.bench;

import dev.sluice.aws.s3.NotifyingUploader;
import dev.sluice.aws.s3.S3EventNotificationBuilder;
import dev.sluice.aws.s3.S3ObjectRef;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.local.LocalAwsAccount;
import dev.sluice.parquet.EventDurationFileGenerator;
import dev.sluice.redis.FailedFile;
import dev.sluice.redis.TotalsKeys;
import dev.sluice.redis.TotalsRetention;
import dev.sluice.redis.TotalsStore;
import dev.sluice.redis.RedisSettings;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Playtime under chaos: one file every 2 s (2,000 rows over 500 users, {@link EventDurationFileGenerator}) uploaded with
 * its S3 notification; 4% of the sends are a file that is not Parquet, 4% resend the notification of an earlier
 * file. Every good file must be counted once (its marker set, and the Redis totals equal to the sum over the good
 * files), every bad one recorded as failed with a reason.
 */
final class PlaytimeChaos extends ChaosTarget {
    private static final double FILES_PER_SECOND = 0.5;
    private static final int USERS = 500;
    private static final int ROWS = 2_000;
    private static final double BAD_RATE = 0.04;
    private static final double DUPLICATE_RATE = 0.04;
    /** The bucket {@code sluice local} makes, and the shipped playtime definition's queue. */
    private static final String BUCKET = "playtime-datasets";
    private static final String QUEUE = "playtime-notifications";
    /** Where the shipped playtime definition keeps its totals under the default key prefix. */
    private static final TotalsKeys KEYS = new TotalsKeys(RedisSettings.DEFAULT_KEY_PREFIX, "playtime", "user");

    /** A file the store took: its marker, and what it adds (null for a bad file). */
    private record Upload(String marker, Map<String, Map<String, Long>> perUser, S3ObjectRef object) {
    }

    private final EventDurationFileGenerator generator;
    private final Random random;
    private final List<Upload> uploads = new ArrayList<>();
    private int duplicates;
    private int sends;
    private SqsClient sqs;
    private NotifyingUploader uploader;

    PlaytimeChaos(long seed) {
        super("playtime", Set.of(ChaosStack.Service.QUEUE, ChaosStack.Service.S3, ChaosStack.Service.REDIS),
                new ChaosQueue(QUEUE));
        this.generator = new EventDurationFileGenerator(USERS, seed);
        this.random = new Random(seed);
    }

    @Override
    void prepareMore(EmbeddedStack.Builder stack) {
        stack.bucket(BUCKET).redis();
    }

    @Override
    String settings() {
        return queue().sourceSettings("playtime");
    }

    /** Files, not events: one every 2 s whatever the run's event rate. */
    @Override
    double perSecond(int eventsPerSecond) {
        return FILES_PER_SECOND;
    }

    @Override
    synchronized void send(ChaosStack stack, int count) throws Exception {
        connect(stack);
        for (int i = 0; i < count; i++) {
            double dice = random.nextDouble();
            List<Upload> good = uploads.stream().filter(u -> u.perUser() != null).toList();
            if (dice < DUPLICATE_RATE && !good.isEmpty()) {
                S3ObjectRef earlier = good.get(random.nextInt(good.size())).object();
                String notification = new S3EventNotificationBuilder(LocalAwsAccount.REGION.id()).objectCreated(
                        BUCKET, earlier.key(), earlier.size(), earlier.eTag(), earlier.eventTime());
                sqs.sendMessage(b -> b.queueUrl(queueUrl()).messageBody(notification));
                duplicates++;
                continue;
            }
            Path file = stack.directory().resolve("playtime-upload.parquet");
            String key = "chaos/file-" + (++sends) + ".parquet";
            if (dice < DUPLICATE_RATE + BAD_RATE) {
                Files.writeString(file, "not parquet, chaos file " + sends);
                S3ObjectRef stored = uploader.upload(file, BUCKET, key);
                uploads.add(new Upload(TotalsKeys.marker(BUCKET, key, stored.eTag()), null, stored));
            } else {
                EventDurationFileGenerator.GeneratedFile generated = generator.write(file, ROWS);
                S3ObjectRef stored = uploader.upload(file, BUCKET, key);
                uploads.add(new Upload(TotalsKeys.marker(BUCKET, key, stored.eTag()), generated.perUser(), stored));
            }
        }
    }

    private void connect(ChaosStack stack) {
        if (uploader == null) {
            sqs = stack.servers().sqs().newClient();
            uploader = new NotifyingUploader(stack.s3(), sqs, queueUrl(), LocalAwsAccount.REGION.id(), Clock.systemUTC());
        }
    }

    private String queueUrl() {
        return sqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
    }

    @Override
    long sinkCount(ChaosStack stack) {
        TotalsKeys keys = KEYS;
        try (Jedis redis = new Jedis("127.0.0.1", stack.servers().redis().port())) {
            // Each done marker is a key of its own (it expires); failed files are indexed in one sorted set.
            long done = 0;
            ScanParams markers = new ScanParams().match(keys.doneFile("*")).count(1_000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, markers);
                done += page.getResult().size();
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return done + redis.zcard(keys.failures());
        }
    }

    @Override
    synchronized ChaosVerdict verify(ChaosStack stack) throws Exception {
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        ChaosNotes wrong = new ChaosNotes();
        long stored = 0;
        long lost = 0;
        long rejected = 0;
        long bad = 0;
        try (TotalsStore store = TotalsStore.open(new RedisSettings(stack.servers().redis().url()), KEYS,
                List.of("EventDuration"), TotalsRetention.DEFAULTS)) {
            Map<String, String> failures = store.failures().stream().collect(Collectors.toMap(
                    f -> TotalsKeys.marker(f.bucket(), f.key(), f.etag()), FailedFile::reason, (a, b) -> a));
            for (Upload upload : uploads) {
                boolean applied = store.isApplied(upload.marker());
                String reason = failures.get(upload.marker());
                if (upload.perUser() == null) {
                    bad++;
                    wrong.addIf(applied, "a file that is not Parquet counted");
                    lost += reason == null ? 1 : 0;
                    rejected += reason != null && wrong.hasReason(reason) ? 1 : 0;
                } else {
                    upload.perUser().forEach((user, byType) -> byType.forEach((type, seconds) ->
                            expected.computeIfAbsent(user, u -> new TreeMap<>()).merge(type, seconds, Long::sum)));
                    stored += applied ? 1 : 0;
                    lost += applied ? 0 : 1;
                    wrong.addIf(reason != null, "a good file recorded as failed: " + reason);
                }
            }
            return verdict(expected, store.allGroups(), stored, lost, rejected, bad, wrong, queue().deadLettered(stack));
        }
    }

    private ChaosVerdict verdict(Map<String, Map<String, Long>> expected, Map<String, Map<String, Long>> counted,
                                 long stored, long lost, long rejected, long bad, ChaosNotes wrong, long deadLettered) {
        long doubledCells = 0;
        long secondsOver = 0;
        for (Map.Entry<String, Map<String, Long>> user : counted.entrySet()) {
            Map<String, Long> want = expected.getOrDefault(user.getKey(), Map.of());
            for (Map.Entry<String, Long> cell : user.getValue().entrySet()) {
                if (cell.getKey().equals(TotalsKeys.TOTAL_FIELD)) {
                    continue;
                }
                long over = cell.getValue() - want.getOrDefault(cell.getKey(), 0L);
                doubledCells += over > 0 ? 1 : 0;
                secondsOver += Math.max(0, over);
                wrong.addIf(over < 0, "a user's seconds of a type below the sum over the files counted");
            }
        }
        expected.keySet().stream().filter(user -> !counted.containsKey(user))
                .forEach(user -> wrong.add("a user of a counted file missing in Redis"));
        List<String> notes = new ArrayList<>(wrong.lines());
        if (doubledCells > 0) {
            notes.add(doubledCells + " user/type totals above the sum over the files sent, by " + secondsOver + " s");
        }
        notes.add(deadLettered + " notifications in " + QUEUE
                + "-dlq (a bad file's notification goes there by design)");
        return new ChaosVerdict(uploads.size() + duplicates, duplicates, bad, stored, lost, doubledCells, rejected,
                wrong.count(), notes);
    }
}
