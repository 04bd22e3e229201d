package dev.sluice.parquet.lake;

import dev.sluice.core.engine.Message;
import dev.sluice.parquet.Compression;
import dev.sluice.parquet.lake.LakeFileRoller.Reason;
import dev.sluice.parquet.lake.LakeFiles.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.sluice.parquet.lake.LakeFiles.SHARD;
import static dev.sluice.parquet.lake.LakeFiles.event;
import static dev.sluice.parquet.lake.LakeFiles.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionedParquetWriterTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dir;

    private final List<CommittedFile> committed = new ArrayList<>();

    private PartitionedParquetWriter writer(LakeFileSettings settings, LakeObjectStore store) throws IOException {
        return new PartitionedParquetWriter(settings, store, dir.resolve("work"));
    }

    private DirectoryLakeObjectStore lake() {
        return new DirectoryLakeObjectStore(dir.resolve("lake"));
    }

    private static LakeFileSettings settings(long maxFileBytes, Duration maxAge, int maxOpenFiles) {
        return new LakeFileSettings(null, maxFileBytes, maxAge, maxOpenFiles, 64L * 1024, null);
    }

    /** Events over 4 types and the days 2026-01-01..2026-01-12 (single-digit months and days), two shards: 96 files. */
    private static List<LakeEvent> events(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LakeEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant created = LocalDate.of(2026, 1, 1 + random.nextInt(12)).atStartOfDay(ZoneOffset.UTC)
                    .toInstant().plusSeconds(random.nextInt(86_400));
            String name = "type" + random.nextInt(4) + (i % 5 == 0 ? "" : ":sub" + random.nextInt(3));
            events.add(event("uuid-" + i, name, created, "{\"n\":" + i + ",\"amount\":12.50,\"tags\":[\"x\",null]}"));
        }
        return events;
    }

    private static String shardOf(int i) {
        return i % 2 == 0 ? SHARD : "shardId-000000000001";
    }

    private void writeAll(PartitionedParquetWriter writer, List<LakeEvent> events, Instant now) throws IOException {
        for (int i = 0; i < events.size(); i++) {
            writer.write(events.get(i), shardOf(i), Integer.toString(1000 + i), message(shardOf(i), 1000 + i), now);
        }
    }

    private void finish(PartitionedParquetWriter writer) throws Exception {
        writer.rollAll();
        writer.store(true, committed::add);
    }

    /** Writes {@code events} into the lake with a new writer and stores every file. */
    private void writeLake(LakeFileSettings settings, List<LakeEvent> events, Instant now) throws Exception {
        try (PartitionedParquetWriter writer = writer(settings, lake())) {
            writeAll(writer, events, now);
            finish(writer);
        }
    }

    @Test
    void everyEventReadsBackOnceWithItsColumnsAndPartition() throws Exception {
        List<LakeEvent> events = events(3_000, 1);
        writeLake(LakeFileSettings.DEFAULTS, events, NOW);

        List<Row> rows = LakeFiles.read(dir.resolve("lake"));
        assertThat(rows).hasSize(events.size());
        Map<String, Row> byUuid = rows.stream().collect(Collectors.toMap(Row::eventUuid, Function.identity()));
        for (LakeEvent e : events) {
            Row row = byUuid.get(e.eventUuid());
            assertThat(row.eventName()).isEqualTo(e.eventName());
            assertThat(row.eventType()).isEqualTo(e.eventType());
            assertThat(row.eventSubtype()).isEqualTo(e.eventSubtype());
            assertThat(row.createdAt()).isEqualTo(e.createdAt());
            assertThat(row.createdDatetime()).isEqualTo(e.createdDatetime());
            assertThat(row.payload()).isEqualTo(e.payload());
            LocalDate day = LocalDate.parse(e.createdDatetime().substring(0, 10));
            assertThat(List.of(row.year(), row.month(), row.day()))
                    .containsExactly((long) day.getYear(), (long) day.getMonthValue(), (long) day.getDayOfMonth());
            assertThat(row.file()).startsWith("events/" + e.partition().path());
        }
        assertThat(committed.stream().mapToLong(CommittedFile::rows).sum()).isEqualTo(events.size());
        assertThat(committed).allSatisfy(f -> assertThat(f.reason()).isEqualTo(Reason.FLUSH));
        assertThat(committed.stream().flatMap(f -> f.messages().stream()).map(Message::receipt).distinct())
                .hasSize(events.size());
        assertThat(LakeFiles.keys(dir.resolve("work"))).isEmpty();
    }

    @Test
    void partitionPathsAreZeroPaddedAndKeysNameShardAndFirstSequence() throws Exception {
        try (PartitionedParquetWriter writer = writer(LakeFileSettings.DEFAULTS, lake())) {
            writer.write(event("a", "account:created", Instant.parse("2026-01-05T00:00:00Z"), "{}"), SHARD, "7",
                    message(SHARD, 7), NOW);
            writer.write(event("b", "account:deleted", Instant.parse("2026-01-05T23:59:59Z"), "{}"), SHARD, "8",
                    message(SHARD, 8), NOW);
            writer.write(event("c", "account", Instant.parse("0999-12-31T00:00:00Z"), "{}"), SHARD, "9",
                    message(SHARD, 9), NOW);
            finish(writer);
        }

        assertThat(LakeFiles.keys(dir.resolve("lake"))).containsExactly(
                "events/year=0999/month=12/day=31/event_type=account/shardId-000000000000-9.parquet",
                "events/year=2026/month=01/day=05/event_type=account/shardId-000000000000-7.parquet");
    }

    @Test
    void lateEventsLandInTheDayTheyHappened() throws Exception {
        Instant yesterday = NOW.minus(Duration.ofDays(1));
        Instant lastYear = Instant.parse("2025-12-31T23:59:59.900Z");
        try (PartitionedParquetWriter writer = writer(LakeFileSettings.DEFAULTS, lake())) {
            writer.write(event("on-time", "a:b", NOW, "{}"), SHARD, "1", message(SHARD, 1), NOW);
            writer.write(event("late", "a:b", yesterday, "{}"), SHARD, "2", message(SHARD, 2), NOW);
            writer.write(event("very-late", "a:b", lastYear, "{}"), SHARD, "3", message(SHARD, 3), NOW);
            finish(writer);
        }

        Map<String, String> fileOf = LakeFiles.read(dir.resolve("lake")).stream()
                .collect(Collectors.toMap(Row::eventUuid, Row::file));
        assertThat(fileOf.get("on-time")).startsWith("events/year=2026/month=11/day=22/event_type=a/");
        assertThat(fileOf.get("late")).startsWith("events/year=2026/month=11/day=21/event_type=a/");
        assertThat(fileOf.get("very-late")).startsWith("events/year=2025/month=12/day=31/event_type=a/");
    }

    @Test
    void aFileRollsAtTheSizeLimitIntoFilesNamedByTheirFirstSequence() throws Exception {
        List<LakeEvent> events = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 2_000; i++) {
            // Random text, so that compressed pages grow too.
            String text = random.ints(100, 0, 1 << 16).mapToObj(Integer::toHexString).collect(Collectors.joining());
            events.add(event("u" + i, "big:one", NOW, "{\"text\":\"" + text + "\"}"));
        }
        try (PartitionedParquetWriter writer = writer(settings(64 * 1024, Duration.ofMinutes(5), 10), lake())) {
            for (int i = 0; i < events.size(); i++) {
                writer.write(events.get(i), SHARD, Integer.toString(i), message(SHARD, i), NOW);
            }
            assertThat(writer.pendingFiles()).isPositive();
            finish(writer);
        }

        assertThat(committed.size()).isGreaterThan(2);
        assertThat(committed.subList(0, committed.size() - 1)).allSatisfy(f -> {
            assertThat(f.reason()).isEqualTo(Reason.SIZE);
            assertThat(f.key()).endsWith("-" + f.messages().getFirst().receipt() + ".parquet");
        });
        assertThat(committed.getLast().reason()).isEqualTo(Reason.FLUSH);
        assertThat(LakeFiles.read(dir.resolve("lake"))).hasSize(events.size());
        assertThat(LakeFiles.keys(dir.resolve("lake"))).hasSize(committed.size());
    }

    @Test
    void aFileRollsWhenItsFirstRecordIsMaxAgeOld() throws Exception {
        try (PartitionedParquetWriter writer = writer(settings(1L << 30, Duration.ofMinutes(5), 10), lake())) {
            writer.write(event("first", "a:b", NOW, "{}"), SHARD, "1", message(SHARD, 1), NOW);
            writer.write(event("second", "a:b", NOW, "{}"), SHARD, "2", message(SHARD, 2), NOW.plusSeconds(200));
            writer.rollDue(NOW.plusSeconds(299));
            writer.store(true, committed::add);
            assertThat(committed).isEmpty();

            writer.rollDue(NOW.plusSeconds(300));
            writer.store(true, committed::add);
        }

        assertThat(committed).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(Reason.AGE);
            assertThat(f.rows()).isEqualTo(2);
        });
        assertThat(LakeFiles.read(dir.resolve("lake"))).extracting(Row::eventUuid)
                .containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void atTheCapOpeningAnotherPartitionRollsTheLeastRecentlyWrittenFile() throws Exception {
        try (PartitionedParquetWriter writer = writer(settings(1L << 30, Duration.ofMinutes(5), 2), lake())) {
            writer.write(event("a1", "a", NOW, "{}"), SHARD, "1", message(SHARD, 1), NOW);
            writer.write(event("b1", "b", NOW, "{}"), SHARD, "2", message(SHARD, 2), NOW);
            writer.write(event("a2", "a", NOW, "{}"), SHARD, "3", message(SHARD, 3), NOW);
            writer.write(event("c1", "c", NOW, "{}"), SHARD, "4", message(SHARD, 4), NOW);
            assertThat(writer.openFiles()).isEqualTo(2);
            writer.store(true, committed::add);
            assertThat(committed).singleElement().satisfies(f -> {
                assertThat(f.reason()).isEqualTo(Reason.CAP);
                assertThat(f.key()).contains("event_type=b/");
            });
            finish(writer);
        }
        assertThat(LakeFiles.read(dir.resolve("lake"))).hasSize(4);
    }

    @Test
    void aReplayOfTheSameSequenceRangeRewritesTheSameObjects() throws Exception {
        List<LakeEvent> events = events(1_000, 2);
        writeLake(LakeFileSettings.DEFAULTS, events, NOW);
        List<String> first = LakeFiles.keys(dir.resolve("lake"));
        List<String> firstCommitted = committed.stream().map(CommittedFile::key).sorted().toList();

        committed.clear();
        writeLake(LakeFileSettings.DEFAULTS, events, NOW.plusSeconds(3600));

        assertThat(committed.stream().map(CommittedFile::key).sorted().toList()).isEqualTo(firstCommitted);
        assertThat(LakeFiles.keys(dir.resolve("lake"))).isEqualTo(first);
        assertThat(LakeFiles.read(dir.resolve("lake"))).hasSize(events.size());
    }

    @Test
    void aFailedPutKeepsTheFileQueuedAndReportsNothingUntilItIsStored() throws Exception {
        AtomicInteger failures = new AtomicInteger(2);
        DirectoryLakeObjectStore lake = lake();
        LakeObjectStore flaky = new LakeObjectStore() {
            @Override
            public void put(String key, Path file) throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("store unavailable");
                }
                lake.put(key, file);
            }

            @Override
            public void delete(String key) throws IOException {
                lake.delete(key);
            }
        };
        try (PartitionedParquetWriter writer = writer(LakeFileSettings.DEFAULTS, flaky)) {
            writer.write(event("a", "a:b", NOW, "{}"), SHARD, "1", message(SHARD, 1), NOW);
            writer.write(event("b", "b:c", NOW, "{}"), SHARD, "2", message(SHARD, 2), NOW);
            writer.rollAll();

            assertThatThrownBy(() -> writer.store(true, committed::add)).hasMessage("store unavailable");
            assertThatThrownBy(() -> writer.store(true, committed::add)).hasMessage("store unavailable");
            assertThat(committed).isEmpty();
            assertThat(writer.pendingFiles()).isEqualTo(2);

            writer.store(true, committed::add);
            assertThat(writer.pendingFiles()).isZero();
        }
        assertThat(committed).hasSize(2);
        assertThat(LakeFiles.read(dir.resolve("lake"))).extracting(Row::eventUuid).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aThousandPartitionsAtOnceStayWithinTheCapAndEveryEventLandsOnce() throws Exception {
        int partitions = 1_000;
        int perVisit = 2;
        int rounds = 2;
        LakeFileSettings capped = new LakeFileSettings(null, 1L << 30, Duration.ofMinutes(5), 100, 64L * 1024,
                Compression.UNCOMPRESSED);
        List<String> written = new ArrayList<>();
        try (PartitionedParquetWriter writer = writer(capped, lake())) {
            for (int round = 0; round < rounds; round++) {
                // Round 1 visits 1,000 partitions, 2 events each, then round 2 visits half of them again.
                for (int p = 0; p < partitions / (round + 1); p++) {
                    Instant day = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(p % 50));
                    for (int i = 0; i < perVisit; i++) {
                        String uuid = "p" + p + "-r" + round + "-" + i;
                        int sequence = written.size();
                        writer.write(event(uuid, "type" + (p / 50), day, "{\"p\":" + p + "}"), SHARD,
                                Integer.toString(sequence), message(SHARD, sequence), NOW);
                        written.add(uuid);
                    }
                    assertThat(writer.openFiles()).isLessThanOrEqualTo(100);
                }
                writer.store(true, committed::add);
            }
            finish(writer);
        }

        List<Row> rows = LakeFiles.read(dir.resolve("lake"));
        assertThat(rows).extracting(Row::eventUuid).containsExactlyInAnyOrderElementsOf(written);
        assertThat(rows.stream().map(r -> r.file().substring(0, r.file().lastIndexOf('/'))).distinct())
                .hasSize(partitions);
        assertThat(committed.stream().flatMap(f -> f.messages().stream()).map(Message::receipt))
                .doesNotHaveDuplicates().hasSize(written.size());
        assertThat(committed).anySatisfy(f -> assertThat(f.reason()).isEqualTo(Reason.CAP));
    }

    @Test
    void payloadFieldsOfDifferentTypesAndAOneMegabyteRecordAreKeptAsSent() throws Exception {
        String big = "{\"blob\":\"" + "y".repeat(1024 * 1024 - 12) + "\"}";
        List<LakeEvent> events = List.of(
                event("n", "a:b", NOW, "{\"level\":3}"),
                event("s", "a:b", NOW, "{\"level\":\"high\"}"),
                event("o", "a:b", NOW, "{\"level\":{\"n\":[1,2.50]}}"),
                event("big", "a:b", NOW, big));
        writeLake(LakeFileSettings.DEFAULTS, events, NOW);

        Map<String, String> payloads = LakeFiles.read(dir.resolve("lake")).stream()
                .collect(Collectors.toMap(Row::eventUuid, Row::payload));
        assertThat(payloads).containsExactlyInAnyOrderEntriesOf(events.stream()
                .collect(Collectors.toMap(LakeEvent::eventUuid, LakeEvent::payload)));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void filesUseTheConfiguredCompression(Compression compression) throws Exception {
        LakeFileSettings settings = new LakeFileSettings(null, null, null, null, null, compression);
        List<LakeEvent> events = events(200, 3);
        writeLake(settings, events, NOW);

        assertThat(LakeFiles.read(dir.resolve("lake"))).hasSize(events.size());
        Path anyFile = dir.resolve("lake").resolve(committed.getFirst().key());
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = duck.createStatement().executeQuery("SELECT DISTINCT compression FROM parquet_metadata('"
                     + anyFile + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase(compression.name());
            assertThat(rs.next()).isFalse();
        }
        assertThat(Files.size(anyFile)).isEqualTo(committed.getFirst().bytes());
    }

    @Test
    void aFileLargerThanItsRowGroupSizeIsCutIntoRowGroupsOfAboutThatSize() throws Exception {
        long rowGroupBytes = 64L * 1024;
        LakeFileSettings settings = new LakeFileSettings(null, null, null, null, rowGroupBytes,
                Compression.UNCOMPRESSED);
        Instant day = Instant.parse("2026-01-01T00:00:00Z");
        List<LakeEvent> events = new ArrayList<>();
        long payloadBytes = 0;
        for (int i = 0; payloadBytes < 8 * rowGroupBytes; i++) {
            String payload = "{\"n\":" + i + ",\"note\":\"" + "x".repeat(100 + i % 50) + "\"}";
            events.add(event("uuid-" + i, i % 3 == 0 ? "type0" : "type0:sub" + i % 4, day.plusSeconds(i), payload));
            payloadBytes += payload.length();
        }
        try (PartitionedParquetWriter writer = writer(settings, lake())) {
            for (int i = 0; i < events.size(); i++) {
                writer.write(events.get(i), SHARD, Integer.toString(i), message(SHARD, i), NOW);
            }
            finish(writer);
        }

        assertThat(committed).extracting(CommittedFile::key).hasSize(1);
        assertThat(LakeFiles.read(dir.resolve("lake"))).extracting(Row::eventUuid)
                .containsExactlyInAnyOrderElementsOf(events.stream().map(LakeEvent::eventUuid).toList());
        Path file = dir.resolve("lake").resolve(committed.getFirst().key());
        List<long[]> rowGroups = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = duck.createStatement().executeQuery("SELECT DISTINCT row_group_id, row_group_num_rows, "
                     + "row_group_bytes FROM parquet_metadata('" + file + "')")) {
            while (rs.next()) {
                rowGroups.add(new long[] {rs.getLong(2), rs.getLong(3)});
            }
        }
        // The payloads alone fill eight row groups; each is cut within a few rows of its size.
        assertThat(rowGroups).hasSizeGreaterThanOrEqualTo(8);
        assertThat(rowGroups.stream().mapToLong(g -> g[0]).sum()).isEqualTo(events.size());
        assertThat(rowGroups).allSatisfy(g -> assertThat(g[1]).isLessThanOrEqualTo(rowGroupBytes + 1024));
    }

    @Test
    void positionsBecomeSafeFileNameParts() {
        assertThat(PartitionedParquetWriter.segment("shardId-000000000001")).isEqualTo("shardId-000000000001");
        assertThat(PartitionedParquetWriter.segment("49590338271490256608559692538361571095921575989136588898"))
                .isEqualTo("49590338271490256608559692538361571095921575989136588898");
        assertThat(PartitionedParquetWriter.segment("a/b.c%")).isEqualTo("a%2Fb%2Ec%25");
    }
}
