package dev.sluice.parquet.lake;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.parquet.lake.LakeFileRoller.Roll;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes lake events into Parquet files per (partition, shard), rolls them with a {@link LakeFileRoller} and stores
 * closed files in a {@link LakeObjectStore} (docs/pipelines/lake.md).
 *
 * <p>Each open file is a local temporary file in {@code workDirectory}; its row groups go to disk as they fill, so
 * memory is bounded by the cap on open files times the row-group size, whatever the input. The object key is
 * {@code <prefix><partition>/<shard>-<first sequence>.parquet}: a replay from the same position rolls into the same
 * keys and overwrites instead of adding. A closed file waits in a queue until {@link #store} puts it; a failed put
 * leaves it (and every later file) queued for the next call, and only a stored file is reported committed, with the
 * source messages it holds.
 *
 * <pre>{@code
 * var writer = new PartitionedParquetWriter(LakeFileSettings.DEFAULTS, store, workDirectory);
 * writer.write(event, "shardId-000000000000", "4959…", message, clock.instant());
 * writer.rollDue(clock.instant());                     // every tick: files past their age close
 * writer.store(true, file -> acknowledge(file.messages()));
 * }</pre>
 *
 * <p>Thread-safe: writes and rolls are serialized; storing runs outside that lock, one store at a time, so an
 * upload never holds writers back.
 */
public final class PartitionedParquetWriter implements Closeable {

    /**
     * An open file's identity: one per partition (event day and type) and shard, so a file's records are in the
     * shard's order. The day is the {@code yyyy-MM-dd} that created_datetime starts with, compared in place: cheaper
     * per event than a {@link LakePartition} (made only when a file opens) or a substring.
     */
    private static final class FileKey {
        private static final int DAY_LENGTH = 10;

        private final String createdDatetime;
        private final String eventType;
        private final String shard;
        private final int hash;

        FileKey(LakeEvent event, String shard) {
            this.createdDatetime = event.createdDatetime();
            this.eventType = event.eventType();
            this.shard = shard;
            int h = 31 * eventType.hashCode() + shard.hashCode();
            for (int i = 0; i < DAY_LENGTH; i++) {
                h = 31 * h + createdDatetime.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileKey k && k.hash == hash
                    && createdDatetime.regionMatches(0, k.createdDatetime, 0, DAY_LENGTH)
                    && eventType.equals(k.eventType) && shard.equals(k.shard);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class OpenFile {
        final LakeParquetFile parquet;
        final Path temp;
        final String key;
        final List<Message> messages = new ArrayList<>();

        OpenFile(LakeParquetFile parquet, Path temp, String key) {
            this.parquet = parquet;
            this.temp = temp;
            this.key = key;
        }
    }

    /** A complete local file waiting to be stored. */
    private record ClosedFile(String key, Path temp, LakeFileRoller.Reason reason, long rows, List<Message> messages) {
    }

    private final LakeFileSettings settings;
    private final LakeObjectStore store;
    private final Path workDirectory;
    private final LakeFileRoller<FileKey> roller;
    private final Map<FileKey, OpenFile> open = new HashMap<>();
    private final ConcurrentLinkedDeque<ClosedFile> closed = new ConcurrentLinkedDeque<>();
    private final ReentrantLock storing = new ReentrantLock();
    private final AtomicLong tempNames = new AtomicLong();

    public PartitionedParquetWriter(LakeFileSettings settings, LakeObjectStore store, Path workDirectory)
            throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.workDirectory = Files.createDirectories(workDirectory);
        this.roller = new LakeFileRoller<>(settings.maxFileBytes(), settings.maxFileAge(), settings.maxOpenFiles());
    }

    /**
     * Appends {@code event}, from {@code source} at {@code shard}/{@code sequence}, to its partition's file, opening
     * it (and closing the least recently written file at the cap) or closing it at the size limit as needed.
     *
     * @throws IOException when the work directory failed; then {@code event} is in no file that will be stored (a
     *                     file the failure broke is abandoned, see {@link AbandonedFileException}), so writing it
     *                     again later cannot store it twice. An {@link Error} while writing the row abandons its
     *                     file too, and carries the {@link AbandonedFileException} as a suppressed exception.
     */
    public synchronized void write(LakeEvent event, String shard, String sequence, Message source, Instant now)
            throws IOException {
        FileKey fileKey = new FileKey(event, shard);
        OpenFile file = open.get(fileKey);
        if (file == null) {
            Optional<Roll<FileKey>> room = roller.beforeOpen(fileKey);
            if (room.isPresent()) {
                close(room.get());
            }
            file = openFile(fileKey, event.partition(), sequence);
            roller.opened(fileKey, now);
        }
        try {
            file.parquet.write(event);
        } catch (IOException | RuntimeException e) {
            // A row written in part leaves the file unreadable: none of it may be stored.
            throw abandon(fileKey, file, e);
        } catch (Error e) {
            e.addSuppressed(abandon(fileKey, file, e));
            throw e;
        }
        file.messages.add(source);
        Optional<Roll<FileKey>> full = roller.written(fileKey, file.parquet.dataSize());
        if (full.isPresent()) {
            close(full.get());
        }
    }

    /** Closes the files whose first record is at least the maximum age old at {@code now}. */
    public synchronized void rollDue(Instant now) throws IOException {
        for (Roll<FileKey> roll : roller.due(now)) {
            close(roll);
        }
    }

    /** Closes every open file, whatever its age. */
    public synchronized void rollAll() throws IOException {
        for (Roll<FileKey> roll : roller.all()) {
            close(roll);
        }
    }

    /**
     * Stores the closed files in the order they closed, reporting each one to {@code committed} as soon as it is
     * stored, then deleting its local copy.
     *
     * @param wait {@code false} returns at once when another thread is storing (it takes the queue along)
     * @throws IOException               when a put failed; that file and the ones after it stay queued for the next
     *                                   call
     * @throws PermanentFailureException when the store refused a put for good; the files stay queued as well
     */
    public void store(boolean wait, Consumer<CommittedFile> committed)
            throws IOException, PermanentFailureException {
        if (closed.isEmpty()) {
            return;
        }
        if (wait) {
            storing.lock();
        } else if (!storing.tryLock()) {
            return;
        }
        try {
            for (ClosedFile file = closed.peekFirst(); file != null; file = closed.peekFirst()) {
                long bytes = Files.size(file.temp());
                store.put(file.key(), file.temp());
                closed.removeFirst();
                committed.accept(new CommittedFile(file.key(), file.reason(), file.rows(), bytes, file.messages()));
                Files.delete(file.temp());
            }
        } finally {
            storing.unlock();
        }
    }

    /**
     * Gives up the closed files not stored yet (their store cannot succeed): passes each one's messages to
     * {@code givenUp}, which hands them back to the source, and deletes it; open files are kept.
     *
     * @throws IOException when a local file could not be deleted (after every file was given up)
     */
    public void giveUpClosed(Consumer<List<Message>> givenUp) throws IOException {
        IOException notDeleted = null;
        storing.lock();
        try {
            for (ClosedFile file = closed.pollFirst(); file != null; file = closed.pollFirst()) {
                givenUp.accept(file.messages());
                try {
                    Files.deleteIfExists(file.temp());
                } catch (IOException e) {
                    if (notDeleted == null) {
                        notDeleted = e;
                    } else {
                        notDeleted.addSuppressed(e);
                    }
                }
            }
        } finally {
            storing.unlock();
        }
        if (notDeleted != null) {
            throw notDeleted;
        }
    }

    /**
     * Deletes a stored file's object: the receiver of its report could not take it as durable (its events could not
     * be recorded), and its messages go back to the source only once it is gone.
     *
     * @throws IOException               (or a client's runtime exception) when it may not be deleted
     * @throws PermanentFailureException when the store refuses it for good
     */
    public void delete(String key) throws IOException, PermanentFailureException {
        store.delete(key);
    }

    /** Files open now. */
    public synchronized int openFiles() {
        return roller.openFiles();
    }

    /** Closed files not stored yet. */
    public int pendingFiles() {
        return closed.size();
    }

    /** Closes open files without storing them and deletes every local file; their messages are not reported. */
    @Override
    public synchronized void close() throws IOException {
        for (Roll<FileKey> roll : roller.all()) {
            OpenFile file = open.remove(roll.file());
            roller.closed(roll.file());
            file.parquet.close();
            Files.deleteIfExists(file.temp);
        }
        for (ClosedFile file = closed.pollFirst(); file != null; file = closed.pollFirst()) {
            Files.deleteIfExists(file.temp());
        }
    }

    private OpenFile openFile(FileKey fileKey, LakePartition partition, String firstSequence) throws IOException {
        String key = settings.prefix() + partition.path() + segment(fileKey.shard) + "-"
                + segment(firstSequence) + ".parquet";
        Path temp = workDirectory.resolve("lake-" + tempNames.incrementAndGet() + ".parquet");
        OpenFile file = new OpenFile(LakeParquetFile.create(temp, settings), temp, key);
        open.put(fileKey, file);
        return file;
    }

    /** Finishes a file and queues it for storing; a file that cannot be finished is abandoned. */
    private void close(Roll<FileKey> roll) throws IOException {
        OpenFile file = open.get(roll.file());
        try {
            file.parquet.close();
        } catch (IOException | RuntimeException e) {
            throw abandon(roll.file(), file, e);
        } catch (Error e) {
            e.addSuppressed(abandon(roll.file(), file, e));
            throw e;
        }
        open.remove(roll.file());
        roller.closed(roll.file());
        closed.addLast(new ClosedFile(file.key, file.temp, roll.reason(), file.parquet.rows(), file.messages));
    }

    /** Forgets an open file the work directory broke and deletes what it could write of it. */
    private AbandonedFileException abandon(FileKey fileKey, OpenFile file, Throwable cause) {
        open.remove(fileKey);
        roller.closed(fileKey);
        AbandonedFileException abandoned = new AbandonedFileException(file.key, file.messages, cause);
        try {
            file.parquet.close();
        } catch (IOException | RuntimeException ignored) {
            // Already broken; the cause above says why.
        }
        try {
            Files.deleteIfExists(file.temp);
        } catch (IOException e) {
            abandoned.addSuppressed(e);
        }
        return abandoned;
    }

    /**
     * An open file was abandoned because the work directory failed while writing or finishing it: it is deleted, and
     * its messages are never reported committed; the caller hands {@link #messages()} back to the source, so they
     * come again. Nothing is lost, and nothing of the file is stored.
     */
    public static final class AbandonedFileException extends IOException {
        private final transient List<Message> messages;

        AbandonedFileException(String key, List<Message> messages, Throwable cause) {
            super("the work directory failed (" + cause.getClass().getSimpleName() + "); abandoned the open file for "
                    + key + " with " + messages.size() + " events", cause);
            this.messages = List.copyOf(messages);
        }

        /** The messages of the abandoned file's events, to hand back to the source. */
        public List<Message> messages() {
            return messages;
        }

        /** The abandoned file {@code failure} reports: itself, or one an {@link Error} carries; else empty. */
        public static Optional<AbandonedFileException> of(Throwable failure) {
            if (failure instanceof AbandonedFileException abandoned) {
                return Optional.of(abandoned);
            }
            return java.util.Arrays.stream(failure.getSuppressed())
                    .filter(AbandonedFileException.class::isInstance).map(AbandonedFileException.class::cast)
                    .findFirst();
        }
    }

    /**
     * A shard id or sequence number as a file-name part: Kinesis' are letters, digits and '-' and pass unchanged;
     * any other byte is %-encoded, so distinct positions never share a name.
     */
    static String segment(String position) {
        StringBuilder out = new StringBuilder(position.length());
        for (byte b : position.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
