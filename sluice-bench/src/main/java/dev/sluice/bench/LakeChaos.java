package dev.sluice.bench;

import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import dev.sluice.pipelines.lake.LakeSettings;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.s3.model.S3Object;

import dev.sluice.postgres.PostgresCheckpointStore;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lake under chaos: product events (2% resent with the same event_uuid, 5% late) and 2% malformed records
 * (not JSON, or no event_uuid) into the {@code product-events} stream (2 shards). Every event_uuid must be in
 * exactly one row of the Parquet files (read with DuckDB), every malformed record one {@code lake_errors} row with a
 * reason.
 */
final class LakeChaos extends ChaosTarget {
    private static final int SHARDS = 2;
    private static final int TYPES = 20;
    private static final double DUPLICATE_RATE = 0.02;
    private static final double LATE_RATE = 0.05;
    private static final double MALFORMED_RATE = 0.02;
    private static final int PUT_ATTEMPTS = 5;

    private final LakeEventGenerator generator;
    private final Random random;
    private final LakeSettings settings = LakeSettings.DEFAULTS;
    /** event_uuid → copies sent. */
    private final Map<String, Integer> ledger = new ConcurrentHashMap<>();
    /** The malformed bodies sent, each unique (numbered), as lake_errors keeps them. */
    private final Set<String> malformed = ConcurrentHashMap.newKeySet();
    /** Records whose put failed {@value #PUT_ATTEMPTS} times: maybe in the stream, maybe not (uuids and bodies). */
    private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Shard → the highest sequence number put into it. */
    private final Map<String, BigInteger> lastPut = new ConcurrentHashMap<>();
    private KinesisClient kinesis;

    LakeChaos(long seed) {
        super("lake", Set.of(ChaosStack.Service.STREAM, ChaosStack.Service.S3, ChaosStack.Service.POSTGRES), null);
        this.generator = new LakeEventGenerator(seed, TYPES, DUPLICATE_RATE, LATE_RATE);
        this.random = new Random(seed);
    }

    @Override
    void prepareMore(EmbeddedStack.Builder stack) {
        stack.stream(settings.kinesis().stream(), SHARDS).bucket(settings.bucket());
    }

    /** Files stored 10 s after their first event (default 5 min), so a short run stores files between faults. */
    @Override
    String settings() {
        return """
                    lake:
                      source: {stream: %s}
                      sink: {bucket: %s, roll: {maxAge: 10s}}
                """.formatted(settings.kinesis().stream(), settings.bucket());
    }

    @Override
    void send(ChaosStack stack, int count) {
        List<PutRecordsRequestEntry> records = new ArrayList<>(count);
        List<String> uuids = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (random.nextDouble() < MALFORMED_RATE) {
                String body = malformedBody(malformed.size() + bad.size());
                bad.add(body);
                records.add(record(Integer.toString(body.hashCode()), body));
            } else {
                LakeEventGenerator.Generated event = generator.next(Instant.now());
                uuids.add(event.eventUuid());
                records.add(record(event.eventUuid(), event.body()));
            }
        }
        List<PutRecordsResultEntry> stored = null;
        for (int attempt = 1; stored == null; attempt++) {
            try {
                stored = LakeKinesisBenchmark.putAll(kinesis(stack), settings.kinesis().stream(), records);
            } catch (SdkException e) {
                // A put that timed out may have been stored: send the same records again, as a producer retries.
                if (attempt == PUT_ATTEMPTS) {
                    unconfirmed.addAll(uuids);
                    unconfirmed.addAll(bad);
                    throw e;
                }
            }
        }
        stored.forEach(put -> lastPut.merge(put.shardId(), new BigInteger(put.sequenceNumber()), BigInteger::max));
        uuids.forEach(uuid -> ledger.merge(uuid, 1, Integer::sum));
        malformed.addAll(bad);
    }

    /** Not JSON, or JSON without an event_uuid; numbered so that each is one reject. */
    private String malformedBody(int n) {
        return n % 2 == 0 ? "not json, chaos record " + n
                : "{\"event_name\":\"page:viewed\",\"created_at\":" + Instant.now().getEpochSecond()
                + ",\"chaos_record\":" + n + "}";
    }

    private static PutRecordsRequestEntry record(String partitionKey, String body) {
        return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromUtf8String(body)).build();
    }

    private synchronized KinesisClient kinesis(ChaosStack stack) {
        if (kinesis == null) {
            kinesis = stack.servers().kinesis().orElseThrow().newClient();
        }
        return kinesis;
    }

    private List<S3Object> lakeFiles(ChaosStack stack) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.files().prefix()))
                .contents().stream().toList();
    }

    @Override
    long sinkCount(ChaosStack stack) throws Exception {
        return lakeFiles(stack).size() + stack.count("SELECT count(*) FROM lake_errors");
    }

    /**
     * Shards whose checkpoint is short of the last record put: a record is checkpointed only once its file is stored
     * or its reject written, so 0 means every record sent is in a sink.
     */
    @Override
    long backlog(ChaosStack stack) throws SQLException {
        Map<String, BigInteger> checkpoints = new HashMap<>();
        try (Connection db = stack.postgres(); PreparedStatement sql = db.prepareStatement("SELECT shard_id, "
                + "sequence_number FROM " + PostgresCheckpointStore.DEFAULT_TABLE + " WHERE stream = ?")) {
            sql.setString(1, settings.kinesis().stream());
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    BigDecimal sequence = rs.getBigDecimal(2);
                    checkpoints.put(rs.getString(1), sequence == null ? BigInteger.ZERO : sequence.toBigIntegerExact());
                }
            }
        }
        return lastPut.entrySet().stream()
                .filter(put -> checkpoints.getOrDefault(put.getKey(), BigInteger.ZERO).compareTo(put.getValue()) < 0)
                .count();
    }

    @Override
    ChaosVerdict verify(ChaosStack stack) throws Exception {
        Path mirror = stack.directory().resolve("lake-files");
        List<S3Object> files = lakeFiles(stack);
        for (S3Object file : files) {
            Path local = mirror.resolve(file.key());
            Files.createDirectories(local.getParent());
            stack.s3().getObject(b -> b.bucket(settings.bucket()).key(file.key()), local);
        }
        Map<String, Long> rows = new HashMap<>();
        if (!files.isEmpty()) {
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT CAST(event_uuid AS VARCHAR), count(*) FROM read_parquet('"
                         + mirror.toAbsolutePath() + "/**/*.parquet', union_by_name = true) GROUP BY 1")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Map<String, String> rejects = stack.pairs("SELECT raw_body, reason FROM lake_errors");
        ChaosNotes wrong = new ChaosNotes();
        long stored = 0;
        long lost = 0;
        long doubled = 0;
        for (String uuid : ledger.keySet()) {
            long copies = rows.getOrDefault(uuid, 0L);
            stored += Math.min(copies, 1);
            doubled += Math.max(0, copies - 1);
            lost += copies == 0 ? 1 : 0;
        }
        rows.keySet().stream().filter(uuid -> !ledger.containsKey(uuid) && !unconfirmed.contains(uuid))
                .forEach(uuid -> wrong.add("a lake row the generator never sent"));
        long rejected = 0;
        for (String body : malformed) {
            String reason = rejects.get(body);
            lost += reason == null ? 1 : 0;
            rejected += reason != null && wrong.hasReason(reason) ? 1 : 0;
        }
        rejects.keySet().stream().filter(body -> !malformed.contains(body) && !unconfirmed.contains(body))
                .forEach(body -> wrong.add("a valid event rejected: " + rejects.get(body)));
        long duplicates = ledger.values().stream().mapToLong(n -> n - 1).sum();
        List<String> notes = new ArrayList<>(wrong.lines());
        notes.add(files.size() + " Parquet files");
        if (!unconfirmed.isEmpty()) {
            notes.add(unconfirmed.size() + " records whose put failed " + PUT_ATTEMPTS + " times (not counted: maybe "
                    + "in the stream, maybe not)");
        }
        return new ChaosVerdict(ledger.values().stream().mapToLong(Integer::longValue).sum() + malformed.size(),
                duplicates, malformed.size(), stored, lost, doubled, rejected, wrong.count(), notes);
    }
}
