package dev.sluice.bench;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.parquet.lake.CommittedFile;
import dev.sluice.parquet.lake.DirectoryLakeObjectStore;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import dev.sluice.pipelines.lake.LakeEventParser;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap half of {@link LakeWriterBenchmark}, in its own JVM (started with {@code -Xmx512m}): generates the
 * benchmark's events one at a time (none are held beyond what the writer holds), parses and writes them as the
 * pipeline would, on a simulated clock at the production rate of 1,000,000 events an hour, so files roll
 * at their 5-minute age as they would in production and every partition stays open between rolls. The source
 * messages a file holds stay referenced until it is stored, as the runner's in-flight messages would.
 *
 * <p>Usage: {@code LakeHeapWorker <events> <types> <days> <end-epoch-second> <seed> <row-group-bytes> <dir>}.
 * Prints {@code result events=… files=… max_open=… millis=…} and {@code heap …} ({@link HeapWatch#heapReport}).
 */
public final class LakeHeapWorker {
    private static final Duration PER_EVENT = Duration.ofHours(1).dividedBy(1_000_000);

    private LakeHeapWorker() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();
        long events = Long.parseLong(args[0]);
        int types = Integer.parseInt(args[1]);
        int days = Integer.parseInt(args[2]);
        Instant end = Instant.ofEpochSecond(Long.parseLong(args[3]));
        LakeBenchEvents source = new LakeBenchEvents(types, days, end, Long.parseLong(args[4]));
        Path dir = Path.of(args[6]);
        LakeEventParser parser = new LakeEventParser();
        AtomicLong stored = new AtomicLong();
        AtomicLong files = new AtomicLong();
        int maxOpen = 0;
        long start = System.nanoTime();
        Instant now = Instant.EPOCH;
        try (PartitionedParquetWriter writer = new PartitionedParquetWriter(
                LakeWriterBenchmark.settings(types * days, Long.parseLong(args[5])),
                new DirectoryLakeObjectStore(dir.resolve("lake")), dir.resolve("work"))) {
            for (long i = 0; i < events; i++) {
                String sequence = Long.toString(i);
                Message m = new Message(source.next(i), new SourceCoordinates.Stream("bench",
                        LakeWriterBenchmark.SHARD, sequence), now, sequence);
                LakeEvent event = ((Outcome.Emit<LakeEvent>) parser.apply(m)).value();
                writer.write(event, LakeWriterBenchmark.SHARD, sequence, m, now);
                now = now.plus(PER_EVENT);
                if (i % 1_000 == 999) {
                    maxOpen = Math.max(maxOpen, writer.openFiles());
                    writer.rollDue(now);
                    writer.store(true, f -> count(f, stored, files));
                }
            }
            writer.rollAll();
            writer.store(true, f -> count(f, stored, files));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("result events=" + stored.get() + " files=" + files.get() + " max_open=" + maxOpen
                + " millis=" + millis);
        System.out.println("heap " + HeapWatch.heapReport(sampledPeak.get()));
        System.out.flush();
    }

    private static void count(CommittedFile file, AtomicLong stored, AtomicLong files) {
        stored.addAndGet(file.rows());
        files.incrementAndGet();
    }
}
