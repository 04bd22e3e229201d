package dev.sluice.parquet.lake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when open lake files close, like Kafka Connect's S3 sink rotation, as an explicit state machine: a file is
 * either absent (never opened, or closed) or open with its size and the time of its first record. An open file
 * rolls (closes, to be stored) when
 * <ul>
 *   <li>{@link Reason#SIZE}: a write brought it to {@code maxBytes} (bytes written plus buffered);</li>
 *   <li>{@link Reason#AGE}: at a tick, its first record is {@code maxAge} old;</li>
 *   <li>{@link Reason#CAP}: another file is about to open while {@code maxOpenFiles} are open: the least recently
 *       written one makes room;</li>
 *   <li>{@link Reason#FLUSH}: everything closes (a graceful stop).</li>
 * </ul>
 * The roller only decides; the caller closes the file and then reports {@link #closed}. Not thread-safe: the
 * {@link PartitionedParquetWriter} calls it under its lock.
 *
 * <pre>{@code
 * roller.beforeOpen(key).ifPresent(this::close);      // CAP
 * roller.opened(key, now);
 * roller.written(key, writer.getDataSize()).ifPresent(this::close);   // SIZE
 * roller.due(now).forEach(this::close);               // AGE, from the tick
 * }</pre>
 */
public final class LakeFileRoller<K> {

    /** Why a file closed. */
    public enum Reason { SIZE, AGE, CAP, FLUSH }

    /** Close {@code file}, because of {@code reason}. */
    public record Roll<K>(K file, Reason reason) {
    }

    private static final class OpenFile {
        final Instant firstRecordAt;

        OpenFile(Instant firstRecordAt) {
            this.firstRecordAt = firstRecordAt;
        }
    }

    private final long maxBytes;
    private final Duration maxAge;
    private final int maxOpenFiles;
    /** In access order: the first entry is the least recently written file. */
    private final LinkedHashMap<K, OpenFile> open = new LinkedHashMap<>(16, 0.75f, true);

    public LakeFileRoller(long maxBytes, Duration maxAge, int maxOpenFiles) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles must be at least 1, was " + maxOpenFiles);
        }
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.maxOpenFiles = maxOpenFiles;
    }

    /** Before writing to {@code file}: if it is not open and the cap is reached, the file to close first. */
    public Optional<Roll<K>> beforeOpen(K file) {
        if (open.containsKey(file) || open.size() < maxOpenFiles) {
            return Optional.empty();
        }
        return Optional.of(new Roll<>(open.keySet().iterator().next(), Reason.CAP));
    }

    /** {@code file} opened with its first record at {@code now}. */
    public void opened(K file, Instant now) {
        Objects.requireNonNull(now, "now");
        if (open.size() >= maxOpenFiles) {
            throw new IllegalStateException("opening a file beyond the cap of " + maxOpenFiles + "; close the file "
                    + "beforeOpen names first");
        }
        if (open.putIfAbsent(file, new OpenFile(now)) != null) {
            throw new IllegalStateException("file is open already");
        }
    }

    /** A record went to {@code file}, which now holds {@code bytes}; a roll when that reached the size limit. */
    public Optional<Roll<K>> written(K file, long bytes) {
        // get, not containsKey: the access-ordered map then holds it as the most recently written file.
        if (open.get(file) == null) {
            throw new IllegalStateException("write to a file that is not open");
        }
        return bytes >= maxBytes ? Optional.of(new Roll<>(file, Reason.SIZE)) : Optional.empty();
    }

    /** The open files whose first record is {@code maxAge} old at {@code now}. */
    public List<Roll<K>> due(Instant now) {
        List<Roll<K>> due = new ArrayList<>();
        for (Map.Entry<K, OpenFile> e : open.entrySet()) {
            if (!e.getValue().firstRecordAt.plus(maxAge).isAfter(now)) {
                due.add(new Roll<>(e.getKey(), Reason.AGE));
            }
        }
        return due;
    }

    /** Every open file, to close them all. */
    public List<Roll<K>> all() {
        List<Roll<K>> all = new ArrayList<>(open.size());
        for (K file : open.keySet()) {
            all.add(new Roll<>(file, Reason.FLUSH));
        }
        return all;
    }

    /** {@code file} is closed; writing to it again opens a new one. */
    public void closed(K file) {
        open.remove(file);
    }

    public int openFiles() {
        return open.size();
    }
}
