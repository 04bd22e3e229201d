package dev.sluice.pipelines.tracking;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PipelineLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The raw archiver's sink: appends each event's line to a gzip NDJSON file in a local work directory (so memory
 * stays bounded whatever the file size), and when {@link RawFileRoller} says so closes the file and stores it at
 * {@code <prefix>dt=YYYY-MM-DD/HHMMSS-<uuid>.json.gz}, named by the UTC time the file was opened. Only then are
 * its messages reported {@link Durable durable}, so the runner deletes them from the queue after the file is
 * stored and never before.
 *
 * <p>A store that fails keeps the closed file pending, in order, and {@link #roll} (every tick) tries again; events
 * go on into a new file meanwhile, up to the runner's {@code maxInFlight}. An open file the work directory breaks
 * is deleted and its messages handed back to the queue at once ({@link Durable#release}). A crash loses only local files whose
 * messages were never deleted: they come back from the queue into new files (a file stored just before a crash has
 * its events again in a later file, which the warehouse load skips by event id).
 *
 * <p>Thread-safe: writers append under one lock; storing happens under another, so appending goes on while a file
 * is uploaded. A writer that closes a file stores it itself unless a store is under way, which then takes it too;
 * otherwise the next tick does.
 *
 * <pre>{@code
 * RawArchiveSink raw = new RawArchiveSink(settings.archive(), workDirectory,
 *         (file, key, metadata) -> uploader.put(file, bucket, key, "application/gzip", metadata), registry, clock);
 * Runner.builder("tracking", sqs, new TrackingEventCheck(), raw, rejects).build().start();
 * }</pre>
 */
public final class RawArchiveSink implements BufferingSink<ArchivedEvent> {
    private static final Logger log = LoggerFactory.getLogger(RawArchiveSink.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);
    private static final String STOP = "stop";

    private final String prefix;
    private final Path workDirectory;
    private final RawFileStore store;
    private final Clock clock;
    /** Files stored, by why they rolled: count, bytes, age, or stop (flushed when the runner stopped). */
    private final Map<String, Counter> filesStored;
    private final Counter eventsStored;

    private final ReentrantLock appending = new ReentrantLock();
    private final RawFileRoller roller;
    private OpenFile open;

    private final ReentrantLock storing = new ReentrantLock();
    private final Queue<ClosedFile> pending = new ConcurrentLinkedQueue<>();
    private volatile Durable durable;

    public RawArchiveSink(TrackingArchiveSettings settings, Path workDirectory, RawFileStore store,
                          MeterRegistry registry, Clock clock) {
        this.prefix = settings.prefix();
        this.roller = new RawFileRoller(settings.maxEvents(), settings.maxBytes(), settings.maxAge());
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Registered at zero for every reason, so dashboards see each series before its first file.
        this.filesStored = Stream.concat(Arrays.stream(RawFileRoller.Reason.values()).map(RawArchiveSink::reasonName),
                Stream.of(STOP)).collect(Collectors.toUnmodifiableMap(reason -> reason, reason -> registry.counter(
                "sluice.tracking.raw.files", "pipeline", TrackingArchivePipeline.NAME, "reason", reason)));
        this.eventsStored = registry.counter("sluice.tracking.raw.events", "pipeline", TrackingArchivePipeline.NAME);
    }

    @Override
    public void start(Durable durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    /**
     * Appends the events to the open file, closing it whenever it is due. A file closed here is stored right away
     * unless another store is under way (which takes it too); a failed store is logged and left to {@link #roll}.
     *
     * @throws IOException when the work directory cannot be written before any of these deliveries went into a
     *                     closed file: the open file is abandoned (see {@link #abandonOpenFile}) and the runner
     *                     retries these deliveries
     */
    @Override
    public void write(List<Delivery<ArchivedEvent>> deliveries) throws IOException {
        boolean closedOne = false;
        int appended = 0;
        appending.lock();
        try {
            for (Delivery<ArchivedEvent> delivery : deliveries) {
                closedOne |= append(delivery);
                appended++;
            }
        } catch (IOException | RuntimeException | Error e) {
            // An Error too: a line written in part would leave a file that must not be stored.
            if (!closedOne) {
                abandonOpenFile(e, deliveries);
                throw e;
            }
            // Part of this batch is in a closed file and will be reported stored: the batch must not be written
            // again, so the rest goes back to the source, with the abandoned file's messages.
            abandonOpenFile(e, List.of());
            durable.release(deliveries.subList(appended, deliveries.size()).stream().map(Delivery::source).toList(),
                    workDirectoryFailed(e));
        } finally {
            appending.unlock();
        }
        if (closedOne && storing.tryLock()) {
            try {
                storePending();
            } catch (Exception e) {
                logAt(Level.WARN).log("pipeline {}: storing a raw file failed, retrying at the next tick: {}",
                        TrackingArchivePipeline.NAME, e.toString());
            } finally {
                storing.unlock();
            }
        }
    }

    /** Closes the open file when its age is due, then stores every pending file, oldest first. */
    @Override
    public void roll(Instant now) throws Exception {
        appending.lock();
        try {
            Optional<RawFileRoller.Reason> due = roller.due(now);
            if (due.isPresent()) {
                closeOrAbandon(reasonName(due.get()));
            }
        } finally {
            appending.unlock();
        }
        storeAllPending();
    }

    /** Closes the open file whatever its age and stores every pending file. */
    @Override
    public void flush() throws Exception {
        appending.lock();
        try {
            if (open != null) {
                closeOrAbandon(STOP);
            }
        } finally {
            appending.unlock();
        }
        storeAllPending();
    }

    /** Deletes the closed files not stored yet and hands their messages back to the queue. */
    @Override
    public void giveUpPending(String reason) {
        storing.lock();
        try {
            for (ClosedFile file = pending.poll(); file != null; file = pending.poll()) {
                deleteLocalCopy(file);
                durable.release(file.messages(), reason);
            }
        } finally {
            storing.unlock();
        }
    }

    /** Files closed and not stored yet. */
    public int pendingFiles() {
        return pending.size();
    }

    /** Appends one event; true when that closed the file. */
    private boolean append(Delivery<ArchivedEvent> delivery) throws IOException {
        Instant now = clock.instant();
        if (open == null) {
            open = OpenFile.create(workDirectory, prefix, now);
        }
        byte[] line = (delivery.value().line() + "\n").getBytes(StandardCharsets.UTF_8);
        open.append(line, delivery.source(), delivery.value().timestamp());
        roller.added(line.length, now);
        Optional<RawFileRoller.Reason> due = roller.due(now);
        if (due.isPresent()) {
            // Abandoned by write's caller if it fails, which knows which messages the runner writes again.
            closeOpenFile(reasonName(due.get()));
        }
        return due.isPresent();
    }

    private static String reasonName(RawFileRoller.Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finishes the gzip stream and queues the file for storing; the caller abandons a file that cannot be finished.
     */
    private void closeOpenFile(String reason) throws IOException {
        ClosedFile closed = open.close(reason);
        pending.add(closed);
        open = null;
        roller.rolled();
    }

    /** {@link #closeOpenFile}, abandoning the file (every message of it released) when it cannot be finished. */
    private void closeOrAbandon(String reason) throws IOException {
        try {
            closeOpenFile(reason);
        } catch (IOException | RuntimeException | Error e) {
            abandonOpenFile(e, List.of());
            throw e;
        }
    }

    /**
     * A file the work directory refused to take is deleted, and its messages are handed back to the source at once
     * (the runner reports the pipeline failing until a file is stored again): they come again into a new file.
     * Nothing is lost. The messages of {@code retried}, a batch the runner writes again, are not handed back.
     */
    private void abandonOpenFile(Throwable cause, List<Delivery<ArchivedEvent>> retried) {
        if (open == null) {
            return;
        }
        logAt(Level.ERROR).log("pipeline {}: the work directory {} failed; abandoning the open raw file of {} events,"
                + " whose messages are handed back to the queue: {}", TrackingArchivePipeline.NAME, workDirectory,
                open.messages.size(), cause.toString());
        Set<Message> again = Collections.newSetFromMap(new IdentityHashMap<>());
        retried.forEach(d -> again.add(d.source()));
        List<Message> released = open.messages.stream().filter(m -> !again.contains(m)).toList();
        open.discard();
        open = null;
        roller.rolled();
        durable.release(released, workDirectoryFailed(cause));
    }

    /** The release reason: the directory and the error's kind (its path is ours, never an event's). */
    private String workDirectoryFailed(Throwable cause) {
        return "the work directory " + workDirectory + " failed (" + cause.getClass().getSimpleName()
                + "); the open raw file was abandoned";
    }

    private void storeAllPending() throws Exception {
        storing.lock();
        try {
            storePending();
        } finally {
            storing.unlock();
        }
    }

    /** Stores pending files in the order they were closed; the first failure stops and propagates. */
    private void storePending() throws Exception {
        for (ClosedFile file = pending.peek(); file != null; file = pending.peek()) {
            long bytes = Files.size(file.path());
            store.store(file.path(), file.key(), file.metadata());
            pending.remove();
            // Reported before the local clean-up: a failed delete must not keep stored events unacknowledged.
            durable.durable(file.messages());
            filesStored.get(file.reason()).increment();
            eventsStored.increment(file.messages().size());
            logAt(Level.INFO).log("pipeline {}: stored raw file {} ({} events, {} bytes compressed, rolled by {})",
                    TrackingArchivePipeline.NAME, file.key(), file.messages().size(), bytes, file.reason());
            deleteLocalCopy(file);
        }
    }

    private void deleteLocalCopy(ClosedFile file) {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            logAt(Level.WARN).log("pipeline {}: could not delete the raw file's local copy {}: {}",
                    TrackingArchivePipeline.NAME, file.path(), e.toString());
        }
    }

    private static LoggingEventBuilder logAt(Level level) {
        return PipelineLog.at(log, level, TrackingArchivePipeline.NAME);
    }

    /** A closed gzip file waiting to be stored, with the messages its events came from. */
    private record ClosedFile(Path path, String key, List<Message> messages, Map<String, String> metadata,
                              String reason) {
    }

    /** The file events are appended to now. */
    private static final class OpenFile {
        private final Path path;
        private final String key;
        private final OutputStream out;
        private final List<Message> messages = new ArrayList<>();
        private Instant firstTimestamp;
        private Instant lastTimestamp;

        private OpenFile(Path path, String key, OutputStream out) {
            this.path = path;
            this.key = key;
            this.out = out;
        }

        static OpenFile create(Path workDirectory, String prefix, Instant openedAt) throws IOException {
            String name = TIME.format(openedAt) + "-" + UUID.randomUUID() + ".json.gz";
            Path path = workDirectory.resolve(name);
            OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 65_536),
                    65_536);
            return new OpenFile(path, prefix + "dt=" + DAY.format(openedAt) + "/" + name, out);
        }

        void append(byte[] line, Message source, Instant timestamp) throws IOException {
            out.write(line);
            messages.add(source);
            firstTimestamp = firstTimestamp == null || timestamp.isBefore(firstTimestamp) ? timestamp : firstTimestamp;
            lastTimestamp = lastTimestamp == null || timestamp.isAfter(lastTimestamp) ? timestamp : lastTimestamp;
        }

        ClosedFile close(String reason) throws IOException {
            out.close();
            return new ClosedFile(path, key, List.copyOf(messages), Map.of(
                    "events", String.valueOf(messages.size()),
                    "first-timestamp", firstTimestamp.toString(),
                    "last-timestamp", lastTimestamp.toString()), reason);
        }

        void discard() {
            try {
                out.close();
            } catch (IOException closing) {
                log.debug("closing an abandoned raw file failed too: {}", closing.toString());
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException deleting) {
                log.warn("could not delete the abandoned raw file {}: {}", path, deleting.toString());
            }
        }
    }
}
