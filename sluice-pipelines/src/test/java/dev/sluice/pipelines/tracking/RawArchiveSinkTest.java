package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PipelineState;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.RecordingDurable;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.SourceCoordinates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's own logic against an in-memory store: what rolls when, what is reported durable, and in what order. */
class RawArchiveSinkTest {
    private static final Instant NOW = Instant.parse("2026-11-22T18:45:12.345Z");
    private static final String KEY = "tracking-raw/dt=2026-11-22/184512-[0-9a-f-]{36}\\.json\\.gz";

    @TempDir
    Path work;

    private final MemoryStore store = new MemoryStore();
    private final RecordingDurable reports = new RecordingDurable();
    private final List<Message> durable = reports.durable;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RawArchiveSink sink(int maxEvents, long maxBytes, Duration maxAge) {
        RawArchiveSink sink = new RawArchiveSink(
                new TrackingArchiveSettings(null, maxEvents, maxBytes, maxAge, null), work, store, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        sink.start(reports);
        return sink;
    }

    private static List<Delivery<ArchivedEvent>> deliveries(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> new Delivery<>(
                new Message("{\"id\":\"" + i + "\"}", new SourceCoordinates.Queue("q", "m-" + i, 1), NOW, "r-" + i),
                new ArchivedEvent("{\"id\":\"" + i + "\"}", NOW.minusSeconds(i)))).toList();
    }

    private static List<Message> messages(List<Delivery<ArchivedEvent>> deliveries) {
        return deliveries.stream().map(Delivery::source).toList();
    }

    private double filesStored(String reason) {
        return registry.get("sluice.tracking.raw.files").tag("reason", reason).counter().count();
    }

    @Test
    void aFileRollsByCountIsStoredUnderItsDayAndTimeAndOnlyThenItsMessagesAreDurable() throws Exception {
        RawArchiveSink sink = sink(3, 1_000_000, Duration.ofMinutes(1));
        List<Delivery<ArchivedEvent>> events = deliveries(0, 7);

        sink.write(events.subList(0, 2));
        assertThat(store.files).isEmpty();
        assertThat(durable).isEmpty();

        sink.write(events.subList(2, 7));

        assertThat(store.files).hasSize(2);
        assertThat(store.files.keySet()).allMatch(k -> k.matches(KEY));
        List<List<String>> files = new ArrayList<>(store.files.values());
        assertThat(files.get(0)).containsExactly(lines(events.subList(0, 3)));
        assertThat(files.get(1)).containsExactly(lines(events.subList(3, 6)));
        assertThat(durable).containsExactlyElementsOf(messages(events.subList(0, 6)));
        assertThat(filesStored("count")).isEqualTo(2);
        assertThat(store.metadata.values()).allSatisfy(m -> assertThat(m).containsEntry("events", "3"));
        assertThat(store.metadata.get(store.files.keySet().iterator().next()))
                .containsEntry("first-timestamp", NOW.minusSeconds(2).toString())
                .containsEntry("last-timestamp", NOW.toString());

        sink.flush();
        assertThat(durable).containsExactlyElementsOf(messages(events));
        assertThat(new ArrayList<>(store.files.values()).get(2)).containsExactly(lines(events.subList(6, 7)));
        assertThat(filesStored("stop")).isEqualTo(1);
        assertThat(work).as("stored files leave the work directory").isEmptyDirectory();
    }

    @Test
    void aFileRollsByUncompressedBytes() throws Exception {
        RawArchiveSink sink = sink(1_000, 1024, Duration.ofMinutes(1));
        List<Delivery<ArchivedEvent>> events = deliveries(100, 200);
        sink.write(events);

        long lineBytes = ("{\"id\":\"100\"}\n").getBytes(StandardCharsets.UTF_8).length;
        long perFile = (1024 + lineBytes - 1) / lineBytes;
        assertThat(store.files).hasSize((int) (200 / perFile));
        assertThat(store.files.values()).allSatisfy(lines -> assertThat(lines).hasSize((int) perFile));
        assertThat(filesStored("bytes")).isEqualTo(store.files.size());
        assertThat(durable).hasSize((int) (store.files.size() * perFile));
    }

    @Test
    void aFileRollsByAgeAtTheTickThatFindsItDue() throws Exception {
        RawArchiveSink sink = sink(1_000, 1_000_000, Duration.ofSeconds(60));
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);
        sink.write(events);

        sink.roll(NOW.plusSeconds(59));
        assertThat(store.files).isEmpty();
        sink.roll(NOW.plusSeconds(60));

        assertThat(store.files.values()).containsExactly(List.of(lines(events)));
        assertThat(durable).containsExactlyElementsOf(messages(events));
        assertThat(filesStored("age")).isEqualTo(1);
    }

    /** Files of two events; five written while the store fails: two files pending, the fifth event open. */
    private RawArchiveSink twoFilesPendingOneOpen(List<Delivery<ArchivedEvent>> events) throws IOException {
        RawArchiveSink sink = sink(2, 1_000_000, Duration.ofMinutes(1));
        store.failing.set(true);
        sink.write(events);
        return sink;
    }

    @Test
    void aFailedStoreKeepsTheFilePendingReportsNothingAndRollRetriesInOrder() throws Exception {
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);

        RawArchiveSink sink = twoFilesPendingOneOpen(events);

        assertThat(sink.pendingFiles()).isEqualTo(2);
        assertThat(durable).isEmpty();
        assertThatThrownBy(() -> sink.roll(NOW)).hasMessage("store down");
        assertThat(durable).isEmpty();

        store.failing.set(false);
        sink.roll(NOW);

        assertThat(sink.pendingFiles()).isZero();
        assertThat(new ArrayList<>(store.files.values()))
                .containsExactly(List.of(lines(events.subList(0, 2))), List.of(lines(events.subList(2, 4))));
        assertThat(durable).containsExactlyElementsOf(messages(events.subList(0, 4)));
    }

    @Test
    void filesWhoseStoreIsGivenUpAreDeletedAndTheirMessagesGoBackWhileTheOpenFileStays() throws Exception {
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);
        RawArchiveSink sink = twoFilesPendingOneOpen(events);

        sink.giveUpPending("storing buffered values failed permanently: bucket tracking: access denied");

        assertThat(reports.released).containsExactlyElementsOf(messages(events.subList(0, 4)));
        assertThat(sink.pendingFiles()).isZero();
        store.failing.set(false);
        sink.flush();
        assertThat(store.files.values()).containsExactly(List.of(lines(events.subList(4, 5))));
        assertThat(durable).containsExactlyElementsOf(messages(events.subList(4, 5)));
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void aFlushThatCannotStoreFailsAndReportsNothing() throws Exception {
        RawArchiveSink sink = sink(100, 1_000_000, Duration.ofMinutes(1));
        sink.write(deliveries(0, 3));
        store.failing.set(true);

        assertThatThrownBy(sink::flush).hasMessage("store down");
        assertThat(durable).isEmpty();
        assertThat(sink.pendingFiles()).isEqualTo(1);
    }

    @Test
    void aWorkDirectoryThatCannotBeWrittenFailsTheWriteAndReportsNothing() throws Exception {
        RawArchiveSink sink = new RawArchiveSink(TrackingArchiveSettings.DEFAULTS, work.resolve("missing"), store,
                registry, Clock.fixed(NOW, ZoneOffset.UTC));
        sink.start(reports);

        assertThatThrownBy(() -> sink.write(deliveries(0, 3))).isInstanceOf(IOException.class);
        sink.flush();
        assertThat(durable).isEmpty();
        assertThat(reports.released).as("the runner writes the batch again; nothing else was taken").isEmpty();
        assertThat(store.files).isEmpty();
    }

    /**
     * The work directory goes away after a batch filled one file: that file waits to be stored, and the rest of the
     * batch goes back to the source at once rather than waiting, claimed, for a restart.
     */
    @Test
    void aWorkDirectoryThatGoesAwayMidBatchHandsTheRestBackAndStoresTheClosedFileOnceItReturns() throws Exception {
        Path away = work.resolveSibling(work.getFileName() + "-away");
        RawArchiveSink sink = new RawArchiveSink(new TrackingArchiveSettings(null, 3, 1_000_000L,
                Duration.ofMinutes(1), null), work, store, registry, new AtReading(4, move(work, away)));
        sink.start(reports);
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);

        sink.write(events);

        assertThat(reports.released).containsExactlyElementsOf(messages(events.subList(3, 5)));
        assertThat(reports.reasons).singleElement().asString().contains("work directory").doesNotContain("{");
        assertThat(durable).isEmpty();
        Files.move(away, work);
        sink.roll(NOW);
        assertThat(store.files.values()).containsExactly(List.of(lines(events.subList(0, 3))));
        assertThat(durable).containsExactlyElementsOf(messages(events.subList(0, 3)));
    }

    /**
     * Under the runner, with room for just the five events in flight: the rest of a batch handed back comes again
     * and is stored once the work directory returns, every event exactly once, and no permit stays taken (or the
     * two handed back could never be received again).
     */
    @Test
    void underTheRunnerAWorkDirectoryOutageLosesAndDoublesNothingAndFreesEveryPermit() throws Exception {
        Path away = work.resolveSibling(work.getFileName() + "-away");
        RawArchiveSink sink = new RawArchiveSink(new TrackingArchiveSettings(null, 3, 1_000_000L,
                Duration.ofMinutes(1), null), work, store, registry, new AtReading(4, move(work, away)));
        InMemoryQueue queue = new InMemoryQueue("tracking", Duration.ofMinutes(5));
        List<String> bodies = IntStream.range(0, 5).mapToObj(i -> "{\"id\":\"" + i + "\"}").toList();
        bodies.forEach(queue::send);
        Runner<ArchivedEvent> runner = Runner.builder("tracking", queue,
                (Message m) -> Outcome.emit(new ArchivedEvent(m.body(), NOW)), sink, rejects -> {
                    throw new AssertionError("no rejects expected");
                }).settings(new RunnerSettings(1, 5, 5, Duration.ofMillis(200), 1,
                        new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(5))).build();
        runner.start();
        try {
            await().until(() -> runner.state() == PipelineState.FAILING);
            Files.move(away, work);

            await().until(() -> queue.remaining() == 0);
            assertThat(store.files.values().stream().flatMap(List::stream).toList())
                    .containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(runner.inFlight()).isZero();
            await().until(() -> runner.state() == PipelineState.RUNNING);
        } finally {
            runner.stop();
        }
    }

    /**
     * A failure while appending (here the clock, standing for any error mid-append) abandons the open file: the
     * messages of earlier batches in it go back to the source; this batch is the runner's to write again.
     */
    @Test
    void anOpenFileAbandonedMidAppendHandsItsEarlierMessagesBackAndIsNeverStored() throws Exception {
        RawArchiveSink sink = new RawArchiveSink(new TrackingArchiveSettings(null, 10, 1_000_000L,
                Duration.ofMinutes(1), null), work, store, registry, new AtReading(4, () -> {
                    throw new IllegalStateException("clock broke");
                }));
        sink.start(reports);
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);
        sink.write(events.subList(0, 2));

        assertThatThrownBy(() -> sink.write(events.subList(2, 5))).hasMessage("clock broke");

        assertThat(reports.released).containsExactlyElementsOf(messages(events.subList(0, 2)));
        sink.flush();
        assertThat(store.files).isEmpty();
        assertThat(durable).isEmpty();
        assertThat(work).isEmptyDirectory();
    }

    /** The fixed clock at {@link #NOW} that does {@code what} at its {@code n}th reading (before answering). */
    private static final class AtReading extends Clock {
        private final int n;
        private final Runnable what;
        private int readings;

        AtReading(int n, Runnable what) {
            this.n = n;
            this.what = what;
        }

        @Override
        public Instant instant() {
            if (++readings == n) {
                what.run();
            }
            return NOW;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static Runnable move(Path from, Path to) {
        return () -> {
            try {
                Files.move(from, to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Test
    void manyWritersAtOnceLoseAndDoubleNothing() throws Exception {
        RawArchiveSink sink = sink(7, 1_000_000, Duration.ofMinutes(1));
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int first = w * 100;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 100; i += 10) {
                    try {
                        sink.write(deliveries(first + i, 10));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        sink.flush();

        List<String> stored = store.files.values().stream().flatMap(List::stream).toList();
        assertThat(stored).containsExactlyInAnyOrder(lines(deliveries(0, 800)));
        assertThat(durable).containsExactlyInAnyOrderElementsOf(messages(deliveries(0, 800)));
    }

    private static String[] lines(List<Delivery<ArchivedEvent>> deliveries) {
        return deliveries.stream().map(d -> d.value().line()).toArray(String[]::new);
    }

    /** Stores decompressed lines per key, in store order; fails while {@link #failing}. */
    private static final class MemoryStore implements RawFileStore {
        final Map<String, List<String>> files = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, Map<String, String>> metadata = Collections.synchronizedMap(new LinkedHashMap<>());
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public void store(Path file, String key, Map<String, String> meta) throws IOException {
            if (failing.get()) {
                throw new IOException("store down");
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).endsWith("\n");
                files.put(key, List.of(text.split("\n")));
            }
            metadata.put(key, meta);
        }
    }
}
