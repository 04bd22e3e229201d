package dev.sluice.core.files;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PipelineLog;
import dev.sluice.core.pipeline.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one rolling-file sink: appends each event to the open file of its partition ({@link Partitioner}) in a local
 * work directory, in a {@link FileFormat}; closes a file when its {@link Rotation} says so (count, bytes, age), when
 * too many partitions have a file open, or on {@link #flush}; stores each closed file whole in an {@link ObjectStore}
 * under {@code <prefix><partition>/<name><extension>}, named by the source position of its first message
 * ({@link FileNamer}). Each key is announced ({@link Durable#storing}) before its put, and only after the put are the
 * file's messages reported {@link Durable durable}, with an undo that deletes the object, so the runner acknowledges
 * them after the file is stored and never before; a dedupe keeps the announced keys in a ledger and has an earlier
 * run's unrecorded files deleted ({@link #deleteStored}).
 *
 * <p>A store that fails keeps the closed file pending, in order, and {@link #roll} (every tick) tries again; events
 * go on into new files meanwhile, up to the runner's {@code maxInFlight}. {@link #giveUpPending} deletes the pending
 * files and hands their messages back. An open file the work directory breaks is deleted with every other open file,
 * and their messages are handed back to the source at once ({@link Durable#release}). A crash loses only local files
 * whose messages were never acknowledged: they come again, into files named by their positions again.
 *
 * <p>Thread-safe: writers append under one lock; storing happens under another, so appending goes on while a file is
 * uploaded. A writer that closes a file stores it itself unless a store is under way, which then takes it too;
 * otherwise the next tick does.
 *
 * <p>Metrics: {@code sluice.files.stored} (files, by {@code reason}: count, bytes, age, stop, open_files) and
 * {@code sluice.files.events} (events in stored files), both tagged with the pipeline. Logs name files by their
 * source position only: partition values are event data.
 */
public final class RollingFileSink implements BufferingSink<Event> {
    private static final Logger log = LoggerFactory.getLogger(RollingFileSink.class);
    private static final String LOCAL_PREFIX = "sluice-files-";
    private static final String LOCAL_SUFFIX = ".part";

    /**
     * What a sink is made of.
     *
     * @param pipeline      for metrics and logs
     * @param prefix        prepended to every key: empty, or ending with '/'
     * @param maxOpenFiles  at most this many partitions have a file open; the oldest closes to open another
     * @param workDirectory where open and pending files are written; created if missing
     */
    public record Parts(String pipeline, String prefix, Partitioner partitioner, FileNamer namer, FileFormat format,
                        ObjectStore store, Rotation.Policy roll, int maxOpenFiles, Path workDirectory) {
        public Parts {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(partitioner, "partitioner");
            Objects.requireNonNull(namer, "namer");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(roll, "roll");
            Objects.requireNonNull(workDirectory, "workDirectory");
            if (maxOpenFiles < 1) {
                throw new IllegalArgumentException("maxOpenFiles must be at least 1, was " + maxOpenFiles);
            }
        }
    }

    private final Parts parts;
    private final Clock clock;
    private final Map<Rotation.Reason, Counter> filesStored;
    private final Counter eventsStored;

    private final ReentrantLock appending = new ReentrantLock();
    /** The open file of each partition, oldest first. */
    private final Map<String, OpenFile> open = new LinkedHashMap<>();

    private final ReentrantLock storing = new ReentrantLock();
    private final Queue<ClosedFile> pending = new ConcurrentLinkedQueue<>();
    private volatile Durable durable;

    /**
     * Creates the work directory and deletes the files a crashed run left there: their messages were never
     * acknowledged, so they come again.
     */
    public RollingFileSink(Parts parts, MeterRegistry registry, Clock clock) throws IOException {
        this.parts = Objects.requireNonNull(parts, "parts");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Registered at zero for every reason, so dashboards see each series before its first file.
        this.filesStored = Arrays.stream(Rotation.Reason.values()).collect(Collectors.toUnmodifiableMap(
                Function.identity(), reason -> registry.counter("sluice.files.stored", "pipeline", parts.pipeline(),
                        "reason", reason.tag())));
        this.eventsStored = registry.counter("sluice.files.events", "pipeline", parts.pipeline());
        Files.createDirectories(parts.workDirectory());
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(parts.workDirectory(),
                LOCAL_PREFIX + "*" + LOCAL_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.delete(leftover);
                logAt(Level.INFO).log("pipeline {}: deleted {}, left by an earlier run; its events come again",
                        parts.pipeline(), leftover.getFileName());
            }
        }
    }

    @Override
    public void start(Durable durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    /**
     * Appends the events to their partitions' open files, closing each one that is due. A file closed here is stored
     * right away unless another store is under way (which takes it too); a failed store is logged and left to
     * {@link #roll}.
     *
     * @throws DestinationRejectedException when the format refuses an event; nothing of the batch was written, and
     *                                      the runner writes it again one event at a time
     * @throws IOException                  when the work directory failed before any of these deliveries went into a
     *                                      closed file: the open files are abandoned (see {@link #abandonOpenFiles})
     *                                      and the runner writes these deliveries again
     */
    @Override
    public void write(List<Delivery<Event>> deliveries) throws IOException, DestinationRejectedException {
        List<String> partitions = new ArrayList<>(deliveries.size());
        for (Delivery<Event> delivery : deliveries) {
            parts.format().check(delivery.value());
            partitions.add(parts.partitioner().path(delivery.value()));
        }
        boolean closedOne = false;
        int appended = 0;
        appending.lock();
        try {
            Instant now = clock.instant();
            for (Delivery<Event> delivery : deliveries) {
                closedOne |= append(delivery, partitions.get(appended), now);
                appended++;
            }
        } catch (IOException | RuntimeException | Error e) {
            // An Error too: an event written in part would leave a file that must not be stored.
            if (!closedOne) {
                abandonOpenFiles(e, deliveries);
                throw e;
            }
            // Part of this batch is in a closed file and will be reported stored: the batch must not be written
            // again, so the rest goes back to the source, with the abandoned files' messages.
            abandonOpenFiles(e, List.of());
            durable.release(deliveries.subList(appended, deliveries.size()).stream().map(Delivery::source).toList(),
                    workDirectoryFailed(e));
        } finally {
            appending.unlock();
        }
        if (closedOne && storing.tryLock()) {
            try {
                storePending();
            } catch (Exception e) {
                logAt(Level.WARN).log("pipeline {}: storing a file failed, retrying at the next tick: {}",
                        parts.pipeline(), e.toString());
            } finally {
                storing.unlock();
            }
        }
    }

    /** Closes the open files whose age is due, then stores every pending file, oldest first. */
    @Override
    public void roll(Instant now) throws Exception {
        closeOpenFiles(file -> file.rotation.tick(now) == Rotation.State.DUE);
        storeAllPending();
    }

    /** Closes every open file whatever its age and stores every pending file. */
    @Override
    public void flush() throws Exception {
        closeOpenFiles(file -> true);
        storeAllPending();
    }

    /** Deletes the closed files not stored yet and hands their messages back to the source. */
    @Override
    public void giveUpPending(String reason) {
        storing.lock();
        try {
            for (ClosedFile file = pending.poll(); file != null; file = pending.poll()) {
                deleteLocalCopy(file.path());
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

    /** Partitions with a file open. */
    public int openFiles() {
        appending.lock();
        try {
            return open.size();
        } finally {
            appending.unlock();
        }
    }

    /** Appends one event to its partition's file; true when that closed a file (its own or the oldest). */
    private boolean append(Delivery<Event> delivery, String partition, Instant now) throws IOException {
        boolean closedOne = false;
        OpenFile file = open.get(partition);
        if (file == null) {
            if (open.size() >= parts.maxOpenFiles()) {
                closeOpenFile(open.values().iterator().next(), Rotation.Reason.OPEN_FILES);
                closedOne = true;
            }
            Path path = Files.createTempFile(parts.workDirectory(), LOCAL_PREFIX, LOCAL_SUFFIX);
            file = new OpenFile(partition, path, new Rotation(parts.roll()), now);
            open.put(partition, file);
            file.writer = parts.format().open(path);
        }
        file.writer.append(delivery.value());
        file.add(delivery.source());
        if (file.rotation.appended(file.writer.bytes(), now) == Rotation.State.DUE) {
            // Abandoned by write's caller if it fails, which knows which messages the runner writes again.
            closeOpenFile(file, null);
            closedOne = true;
        }
        return closedOne;
    }

    /** Closes, under the appending lock, the open files {@code due} picks; a failure abandons every open file. */
    private void closeOpenFiles(Predicate<OpenFile> due) throws IOException {
        appending.lock();
        try {
            for (OpenFile file : List.copyOf(open.values())) {
                if (due.test(file)) {
                    closeOpenFile(file, Rotation.Reason.STOP);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            abandonOpenFiles(e, List.of());
            throw e;
        } finally {
            appending.unlock();
        }
    }

    /** Finishes the file and queues it for storing; the caller abandons a file that cannot be finished. */
    private void closeOpenFile(OpenFile file, Rotation.Reason early) throws IOException {
        file.writer.close();
        Rotation.Reason reason = file.rotation.close(early);
        String name = parts.namer().name(file.messages.getFirst(), file.openedAt) + parts.format().extension();
        String key = parts.prefix() + (file.partition.isEmpty() ? "" : file.partition + "/") + name;
        pending.add(new ClosedFile(file.path, key, name, List.copyOf(file.messages), file.metadata(), reason));
        open.remove(file.partition);
    }

    /**
     * Open files the work directory refused are deleted, all of them (a batch may have gone into several), and their
     * messages are handed back to the source at once (the runner reports the pipeline failing until a file is
     * stored again): they come again into new files. Nothing is lost. The messages of {@code retried}, a batch the
     * runner writes again, are not handed back.
     */
    private void abandonOpenFiles(Throwable cause, List<Delivery<Event>> retried) {
        if (open.isEmpty()) {
            return;
        }
        Set<Message> again = Collections.newSetFromMap(new IdentityHashMap<>());
        retried.forEach(d -> again.add(d.source()));
        List<Message> released = new ArrayList<>();
        for (OpenFile file : open.values()) {
            file.messages.stream().filter(m -> !again.contains(m)).forEach(released::add);
            if (file.writer != null) {
                file.writer.discard();
            }
            deleteLocalCopy(file.path);
            file.rotation.abandon();
        }
        logAt(Level.ERROR).log("pipeline {}: the work directory {} failed; abandoning {} open files, whose {} "
                + "messages are handed back to the source: {}", parts.pipeline(), parts.workDirectory(), open.size(),
                released.size(), cause.toString());
        open.clear();
        durable.release(released, workDirectoryFailed(cause));
    }

    /** The release reason: the directory and the error's kind (its path is ours, never an event's). */
    private String workDirectoryFailed(Throwable cause) {
        return "the work directory " + parts.workDirectory() + " failed (" + cause.getClass().getSimpleName()
                + "); the open files were abandoned";
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
            durable.storing(file.key());
            parts.store().put(file.path(), file.key(), parts.format().contentType(), file.metadata());
            pending.remove();
            ClosedFile stored = file;
            // Reported before the local clean-up: a failed delete must not keep stored events unacknowledged.
            durable.durable(file.messages(), file.key(), () -> undo(stored));
            filesStored.get(file.reason()).increment();
            eventsStored.increment(file.messages().size());
            logAt(Level.INFO).log("pipeline {}: stored file {} ({} events, {} bytes, rolled by {})", parts.pipeline(),
                    file.name(), file.messages().size(), bytes, file.reason().tag());
            deleteLocalCopy(file.path());
        }
    }

    /**
     * Deletes a stored file whose messages could not be taken as durable (the dedupe could not record its events):
     * their redelivery goes into other files, under other names, and must not find this one still there.
     */
    private void undo(ClosedFile file) throws Exception {
        parts.store().delete(file.key());
        logAt(Level.WARN).log("pipeline {}: deleted the stored file {}, whose events could not be recorded; its"
                + " messages go back to the source", parts.pipeline(), file.name());
    }

    /** Deletes an object an earlier run stored and whose events its receiver never recorded. */
    @Override
    public void deleteStored(String object) throws Exception {
        parts.store().delete(object);
    }

    private void deleteLocalCopy(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            logAt(Level.WARN).log("pipeline {}: could not delete the local file {}: {}", parts.pipeline(), path,
                    e.toString());
        }
    }

    private LoggingEventBuilder logAt(Level level) {
        return PipelineLog.at(log, level, parts.pipeline());
    }

    /** A closed file waiting to be stored, with the messages its events came from. */
    private record ClosedFile(Path path, String key, String name, List<Message> messages,
                              Map<String, String> metadata, Rotation.Reason reason) {
    }

    /** The file a partition's events are appended to now. */
    private static final class OpenFile {
        private final String partition;
        private final Path path;
        private final Rotation rotation;
        private final Instant openedAt;
        private final List<Message> messages = new ArrayList<>();
        private FileFormat.Writer writer;
        private Instant firstSentAt;
        private Instant lastSentAt;

        OpenFile(String partition, Path path, Rotation rotation, Instant openedAt) {
            this.partition = partition;
            this.path = path;
            this.rotation = rotation;
            this.openedAt = openedAt;
        }

        void add(Message message) {
            messages.add(message);
            firstSentAt = firstSentAt == null || message.sentAt().isBefore(firstSentAt) ? message.sentAt()
                    : firstSentAt;
            lastSentAt = lastSentAt == null || message.sentAt().isAfter(lastSentAt) ? message.sentAt() : lastSentAt;
        }

        /** Facts about the file for the object's metadata; never event data. */
        Map<String, String> metadata() {
            return Map.of("events", String.valueOf(messages.size()), "first-sent-at", firstSentAt.toString(),
                    "last-sent-at", lastSentAt.toString());
        }
    }
}
