package dev.sluice.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.RecordingDurable;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.pipeline.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rolling-file sink with an in-memory object store: when files roll, are stored, reported, retried, given up. */
class RollingFileSinkTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path work;

    private final MemoryObjectStore store = new MemoryObjectStore();
    private final SettableClock clock = new SettableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingDurable durable = new RecordingDurable();

    private RollingFileSink sink(String partition, FileFormat format, int maxEvents, int maxOpenFiles)
            throws IOException {
        return sink(partition, format, new Rotation.Policy(maxEvents, 1 << 20, Duration.ofSeconds(60)), maxOpenFiles);
    }

    private RollingFileSink sink(String partition, FileFormat format, Rotation.Policy roll, int maxOpenFiles)
            throws IOException {
        RollingFileSink sink = new RollingFileSink(new RollingFileSink.Parts("orders", "raw/",
                Partitioner.of(partition, "__missing__"), FileNamer.SOURCE_POSITION, format, store, roll,
                maxOpenFiles, work), registry, clock);
        sink.start(durable);
        return sink;
    }

    private RollingFileSink sink(int maxEvents) throws IOException {
        return sink("type={type}", new NdjsonGzip(NdjsonGzip.Content.RECORD), maxEvents, 8);
    }

    private static Delivery<Event> queued(String id, String type) {
        return delivery(new SourceCoordinates.Queue("orders", id, 1), "{\"id\":\"" + id + "\"}", type);
    }

    private static Delivery<Event> delivery(SourceCoordinates at, String body, String type) {
        Message message = new Message(body, at, T0, "receipt-" + at.naturalKey());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", at.naturalKey());
        fields.put("type", type);
        return new Delivery<>(message, new Event(message, new FlatRecord(fields)));
    }

    private static List<Message> messages(List<Delivery<Event>> deliveries) {
        return deliveries.stream().map(Delivery::source).toList();
    }

    private double stored(String reason) {
        return registry.counter("sluice.files.stored", "pipeline", "orders", "reason", reason).count();
    }

    private long localFiles() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.count();
        }
    }

    @Test
    void aFileIsStoredWhenItRollsAndOnlyThenAreItsMessagesDurable() throws Exception {
        RollingFileSink sink = sink(3);
        List<Delivery<Event>> first = List.of(queued("m-1", "click"), queued("m-2", "click"));
        sink.write(first);
        assertThat(store.objects).isEmpty();
        assertThat(durable.durable).isEmpty();

        Delivery<Event> third = queued("m-3", "click");
        sink.write(List.of(third));

        assertThat(store.objects).containsOnlyKeys("raw/type=click/m-1-1.json.gz");
        assertThat(store.lines("raw/type=click/m-1-1.json.gz")).containsExactly(
                "{\"id\":\"m-1\",\"type\":\"click\"}", "{\"id\":\"m-2\",\"type\":\"click\"}",
                "{\"id\":\"m-3\",\"type\":\"click\"}");
        assertThat(store.metadata).containsExactly(Map.of("events", "3", "first-sent-at", T0.toString(),
                "last-sent-at", T0.toString()));
        assertThat(durable.durable).containsExactly(first.get(0).source(), first.get(1).source(), third.source());
        assertThat(stored("count")).isEqualTo(1);
        assertThat(registry.counter("sluice.files.events", "pipeline", "orders").count()).isEqualTo(3);
        assertThat(localFiles()).isZero();
    }

    @Test
    void aFileRollsByItsUncompressedBytes() throws Exception {
        // {"id":"m-1","type":"a"} and its line break: 24 bytes a line.
        RollingFileSink sink = sink("", new NdjsonGzip(NdjsonGzip.Content.RECORD),
                new Rotation.Policy(100, 48, Duration.ofSeconds(60)), 8);
        sink.write(List.of(queued("m-1", "a")));
        assertThat(store.objects).isEmpty();
        sink.write(List.of(queued("m-2", "a"), queued("m-3", "a")));
        assertThat(store.objects).containsOnlyKeys("raw/m-1-1.json.gz");
        assertThat(store.lines("raw/m-1-1.json.gz")).hasSize(2);
        assertThat(stored("bytes")).isEqualTo(1);
        assertThat(sink.openFiles()).isEqualTo(1);
    }

    @Test
    void aFailedPutStaysPendingUnreportedAndTheNextRollStoresIt() throws Exception {
        RollingFileSink sink = sink(2);
        store.failingPuts.set(2);
        List<Delivery<Event>> batch = List.of(queued("m-1", "a"), queued("m-2", "a"));
        sink.write(batch);
        assertThat(sink.pendingFiles()).isEqualTo(1);
        assertThat(durable.durable).isEmpty();

        assertThatThrownBy(() -> sink.roll(clock.instant())).isInstanceOf(IOException.class);
        assertThat(sink.pendingFiles()).isEqualTo(1);
        assertThat(durable.durable).isEmpty();

        sink.roll(clock.instant());
        assertThat(sink.pendingFiles()).isZero();
        assertThat(store.objects).containsOnlyKeys("raw/type=a/m-1-1.json.gz");
        assertThat(durable.durable).containsExactlyElementsOf(messages(batch));
        assertThat(durable.released).isEmpty();
    }

    @Test
    void givingUpPendingFilesDeletesThemAndHandsTheirMessagesBackButKeepsOpenFiles() throws Exception {
        RollingFileSink sink = sink(2);
        store.refusing = true;
        List<Delivery<Event>> closed = List.of(queued("m-1", "a"), queued("m-2", "a"));
        sink.write(closed);
        sink.write(List.of(queued("m-3", "b")));
        assertThatThrownBy(() -> sink.roll(clock.instant())).isInstanceOf(PermanentFailureException.class);

        sink.giveUpPending("bucket memory: access denied");

        assertThat(sink.pendingFiles()).isZero();
        assertThat(sink.openFiles()).isEqualTo(1);
        assertThat(durable.released).containsExactlyElementsOf(messages(closed));
        assertThat(durable.reasons).containsExactly("bucket memory: access denied");
        assertThat(durable.durable).isEmpty();
        assertThat(localFiles()).isEqualTo(1);

        store.refusing = false;
        sink.flush();
        assertThat(store.objects).containsOnlyKeys("raw/type=b/m-3-1.json.gz");
    }

    @Test
    void flushStoresEveryOpenFileWhateverItsAgeAndAgeRollsAtATick() throws Exception {
        RollingFileSink sink = sink(100);
        sink.write(List.of(queued("m-1", "a")));
        clock.advance(Duration.ofSeconds(30));
        sink.write(List.of(queued("m-2", "b"), queued("m-3", "c")));
        clock.advance(Duration.ofSeconds(30));

        sink.roll(clock.instant());
        assertThat(store.objects).containsOnlyKeys("raw/type=a/m-1-1.json.gz");
        assertThat(stored("age")).isEqualTo(1);

        sink.flush();
        assertThat(store.objects).containsOnlyKeys("raw/type=a/m-1-1.json.gz", "raw/type=b/m-2-1.json.gz",
                "raw/type=c/m-3-1.json.gz");
        assertThat(stored("stop")).isEqualTo(2);
        assertThat(durable.durable).hasSize(3);
        assertThat(sink.openFiles()).isZero();
        assertThat(localFiles()).isZero();
    }

    @Test
    void aReplayOfTheSameMessagesInTheSameOrderWritesTheSameObjects() throws Exception {
        List<Delivery<Event>> stream = IntStream.range(0, 7).mapToObj(i -> delivery(new SourceCoordinates.Stream(
                "clicks", "shardId-000000000000", String.valueOf(4950 + i)), "{}", i % 2 == 0 ? "even" : "odd"))
                .toList();
        RollingFileSink first = sink(2);
        first.write(stream.subList(0, 4));
        first.write(stream.subList(4, 7));
        first.flush();
        Map<String, byte[]> firstRun = Map.copyOf(store.objects);
        List<String> firstKeys = List.copyOf(store.puts);
        store.objects.clear();
        store.puts.clear();

        RollingFileSink replay = sink(2);
        for (Delivery<Event> delivery : stream) {
            replay.write(List.of(delivery));
        }
        replay.flush();

        assertThat(store.puts).containsExactlyInAnyOrderElementsOf(firstKeys);
        assertThat(store.objects.keySet()).containsExactly("raw/type=even/shardId-000000000000-4950.json.gz",
                "raw/type=even/shardId-000000000000-4954.json.gz",
                "raw/type=odd/shardId-000000000000-4951.json.gz", "raw/type=odd/shardId-000000000000-4955.json.gz");
        firstRun.forEach((key, bytes) -> assertThat(store.lines(key)).isEqualTo(linesOf(bytes)));
    }

    private static List<String> linesOf(byte[] gzip) {
        MemoryObjectStore one = new MemoryObjectStore();
        one.objects.put("k", gzip);
        return one.lines("k");
    }

    @Test
    void aQueueRedeliveryNamesItsOwnFileSoAStoredFileIsNeverOverwrittenByOtherContent() throws Exception {
        RollingFileSink sink = sink(2);
        sink.write(List.of(queued("m-1", "a"), queued("m-2", "a")));
        // m-1 again, as SQS redelivers it: alone, with another neighbour.
        sink.write(List.of(delivery(new SourceCoordinates.Queue("orders", "m-1", 2), "{}", "a"),
                queued("m-9", "a")));
        assertThat(store.objects).containsOnlyKeys("raw/type=a/m-1-1.json.gz", "raw/type=a/m-1-2.json.gz");
        assertThat(store.lines("raw/type=a/m-1-1.json.gz")).hasSize(2);
    }

    @Test
    void theRawFormatKeepsTheBodyByteForByteCompactsOneThatSpansLinesAsTrackingDoesAndRefusesOneThatCannot() throws Exception {
        RollingFileSink sink = sink("", new NdjsonGzip(NdjsonGzip.Content.BODY), 2, 8);
        Delivery<Event> bad = delivery(new SourceCoordinates.Queue("orders", "m-0", 1), "not\njson", "a");
        assertThatThrownBy(() -> sink.write(List.of(queued("m-x", "a"), bad)))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessage("raw_ndjson_gzip: a body that spans lines must be a JSON object to be written again as one"
                        + " line; body: not valid JSON (line 1, column 1)");
        assertThat(sink.openFiles()).isZero();

        sink.write(List.of(delivery(new SourceCoordinates.Queue("orders", "m-1", 1), "{\"id\": \"1\",  \"n\":1.50}",
                "a"), delivery(new SourceCoordinates.Queue("orders", "m-2", 1), "{\n  \"id\": \"2\",\n  \"n\": 1.50\n}",
                "a")));

        assertThat(store.lines("raw/m-1-1.json.gz")).containsExactly("{\"id\": \"1\",  \"n\":1.50}",
                "{\"id\":\"2\",\"n\":1.50}");
    }

    @Test
    void whenTooManyPartitionsAreOpenTheOldestFileClosesEarly() throws Exception {
        RollingFileSink sink = sink("type={type}", new NdjsonGzip(NdjsonGzip.Content.RECORD), 100, 2);
        sink.write(List.of(queued("m-1", "a"), queued("m-2", "b"), queued("m-3", "a"), queued("m-4", "c")));
        assertThat(store.objects).containsOnlyKeys("raw/type=a/m-1-1.json.gz");
        assertThat(store.lines("raw/type=a/m-1-1.json.gz")).hasSize(2);
        assertThat(stored("open_files")).isEqualTo(1);
        assertThat(sink.openFiles()).isEqualTo(2);
    }

    @Test
    void aStoredFileWhoseReportIsNotTakenIsDeletedByTheUndo() throws Exception {
        List<Message> handedBack = new ArrayList<>();
        RollingFileSink sink = sink(1);
        sink.start(new BufferingSink.Durable() {
            @Override
            public void durable(List<Message> messages) {
                throw new AssertionError("a stored file is reported with its undo");
            }

            @Override
            public boolean durable(List<Message> messages, Undo undo) {
                try {
                    undo.undo();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                handedBack.addAll(messages);
                return false;
            }

            @Override
            public void release(List<Message> messages, String reason) {
                throw new AssertionError("nothing is released");
            }
        });
        Delivery<Event> only = queued("m-1", "a");
        sink.write(List.of(only));
        assertThat(store.puts).containsExactly("raw/type=a/m-1-1.json.gz");
        assertThat(store.objects).isEmpty();
        assertThat(handedBack).containsExactly(only.source());
    }

    @Test
    void aWorkDirectoryThatFailsAbandonsTheOpenFilesAndHandsBackAllButTheBatchTheRunnerRetries() throws Exception {
        RollingFileSink sink = sink(100);
        Delivery<Event> earlier = queued("m-1", "a");
        sink.write(List.of(earlier));
        try (Stream<Path> files = Files.list(work)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(work);

        List<Delivery<Event>> batch = List.of(queued("m-2", "a"), queued("m-3", "b"));
        assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(IOException.class);

        assertThat(durable.released).containsExactly(earlier.source());
        assertThat(durable.reasons).singleElement().asString().startsWith("the work directory " + work + " failed (")
                .endsWith("); the open files were abandoned");
        assertThat(sink.openFiles()).isZero();
        assertThat(durable.durable).isEmpty();
    }

    @Test
    void filesACrashedRunLeftInTheWorkDirectoryAreDeletedAtStart() throws Exception {
        Files.writeString(work.resolve("sluice-files-123.part"), "half a file");
        Files.writeString(work.resolve("notes.txt"), "not ours");
        sink(2);
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("notes.txt");
        }
    }
}
