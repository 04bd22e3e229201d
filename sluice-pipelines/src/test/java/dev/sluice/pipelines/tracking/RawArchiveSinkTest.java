package dev.sluice.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
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
    private final List<Message> durable = Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private RawArchiveSink sink(int maxEvents, long maxBytes, Duration maxAge) {
        RawArchiveSink sink = new RawArchiveSink(
                new TrackingArchiveSettings(null, maxEvents, maxBytes, maxAge, null), work, store, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        sink.start(durable::addAll);
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

    @Test
    void aFailedStoreKeepsTheFilePendingReportsNothingAndRollRetriesInOrder() throws Exception {
        RawArchiveSink sink = sink(2, 1_000_000, Duration.ofMinutes(1));
        List<Delivery<ArchivedEvent>> events = deliveries(0, 5);
        store.failing.set(true);

        sink.write(events);

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
        sink.start(durable::addAll);

        assertThatThrownBy(() -> sink.write(deliveries(0, 3))).isInstanceOf(IOException.class);
        sink.flush();
        assertThat(durable).isEmpty();
        assertThat(store.files).isEmpty();
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
