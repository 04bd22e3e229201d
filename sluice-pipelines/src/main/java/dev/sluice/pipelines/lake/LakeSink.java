package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.PermanentFailureException;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.parquet.lake.CommittedFile;
import dev.sluice.parquet.lake.LakeEvent;
import dev.sluice.parquet.lake.PartitionedParquetWriter;
import dev.sluice.parquet.lake.PartitionedParquetWriter.AbandonedFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The lake pipeline's sink: routes each event to its partition's file in a {@link PartitionedParquetWriter}, and
 * reports a file's messages durable once the file is stored, so the source acknowledges (checkpoints) only what is
 * in a stored file. Files close by size and the open-file cap as events arrive, by age at the runner's
 * {@link #roll} ticks, and all at once on {@link #flush}. A failed store keeps the closed file queued: nothing of it
 * is reported, and the next roll tries again. A file the work directory breaks is abandoned, and its messages go
 * back to the source at once. A stored file whose report is not taken (the dedupe could not record its events) is
 * deleted by the dedupe's undo, then its row, before its messages go back.
 *
 * <p>A file is named by the source position of its first record: a Kinesis record's shard and sequence number, an
 * SQS message's queue, message id and receive count.
 *
 * <pre>{@code
 * var writer = new PartitionedParquetWriter(LakeFileSettings.DEFAULTS, new S3LakeObjectStore(s3, "lake"), work);
 * Runner.builder("lake", kinesis, new LakeEventParser(), new LakeSink(writer, Clock.systemUTC()), errors)
 *         .build().start();
 * }</pre>
 */
public final class LakeSink implements BufferingSink<LakeEvent> {
    private static final Logger log = LoggerFactory.getLogger(LakeSink.class);

    private final PartitionedParquetWriter writer;
    private final StoringLedger ledger;
    private final Clock clock;
    private volatile Durable durable;

    /**
     * @param ledger where the writer's store records each file before its put ({@link StoringLedger#recording});
     *               this sink clears the row once the file's events are recorded, or its object is deleted; null
     *               when the store keeps none
     */
    public LakeSink(PartitionedParquetWriter writer, StoringLedger ledger, Clock clock) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.ledger = ledger;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LakeSink(PartitionedParquetWriter writer, Clock clock) {
        this(writer, null, clock);
    }

    @Override
    public void start(Durable durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    /**
     * Writes the batch into open files, then stores the files that closed meanwhile. The messages of a file the
     * work directory broke go back to the source at once ({@link Durable#release}).
     *
     * @throws IOException when the work directory failed before any delivery of the batch was written; the runner
     *                     writes the batch again (an {@link Error} then is thrown as well). After some were written
     *                     it does not throw, since the batch must not be written twice: the rest goes back to the
     *                     source with the abandoned file's messages.
     */
    @Override
    public void write(List<Delivery<LakeEvent>> deliveries) throws IOException {
        Instant now = clock.instant();
        int written = 0;
        try {
            for (Delivery<LakeEvent> d : deliveries) {
                Position at = Position.of(d.source().coordinates());
                writer.write(d.value(), at.shard(), at.sequence(), d.source(), now);
                written++;
            }
        } catch (IOException | RuntimeException | Error e) {
            // An abandoned file holds events of earlier batches only when none of this one was written yet.
            releaseAbandoned(e);
            if (written == 0) {
                throw e;
            }
            log.error("lake: {} of a batch of {} events written when the work directory failed; the other {} go back "
                    + "to the source: {}", written, deliveries.size(), deliveries.size() - written, e.toString());
            durable.release(deliveries.subList(written, deliveries.size()).stream().map(Delivery::source).toList(),
                    "lake: the work directory failed (" + e.getClass().getSimpleName() + ")");
        }
        try {
            // Files closed by size or the cap go out now; if another writer is storing, it takes them along.
            writer.store(false, this::committed);
        } catch (Exception e) {
            log.warn("lake: storing a closed file failed, retrying at the next roll: {}", e.toString());
        }
    }

    @Override
    public void roll(Instant now) throws Exception {
        closeFiles(() -> writer.rollDue(now));
        writer.store(true, this::committed);
    }

    @Override
    public void flush() throws Exception {
        closeFiles(writer::rollAll);
        writer.store(true, this::committed);
    }

    /** Deletes the closed files not stored yet and hands their messages back to the source. */
    @Override
    public void giveUpPending(String reason) {
        try {
            writer.giveUpClosed(messages -> durable.release(messages, reason));
        } catch (IOException e) {
            log.warn("lake: a given-up file's local copy could not be deleted: {}", e.toString());
        }
    }

    @FunctionalInterface
    private interface Closing {
        void run() throws IOException;
    }

    /** Closes files; one the work directory broke is abandoned, and its messages go back to the source. */
    private void closeFiles(Closing closing) throws IOException {
        try {
            closing.run();
        } catch (IOException | RuntimeException | Error e) {
            releaseAbandoned(e);
            throw e;
        }
    }

    /** Hands the messages of a file {@code failure} abandoned back to the source; nothing of that file is stored. */
    private void releaseAbandoned(Throwable failure) {
        AbandonedFileException.of(failure).ifPresent(abandoned ->
                durable.release(abandoned.messages(), abandoned.getMessage()));
    }

    /**
     * Reports a stored file. Not taken (the dedupe could not record its events, or is stopping), its row stays: the
     * undo drops it after deleting the object, or the next start settles it.
     */
    private void committed(CommittedFile file) {
        log.debug("lake: stored {} ({} rows, {} bytes, {})", file.key(), file.rows(), file.bytes(), file.reason());
        if (durable.durable(file.messages(), () -> undo(file.key()))) {
            settled(file.key(), "the next start settles it, which only records its events again");
        }
    }

    /**
     * Deletes a stored file whose events could not be recorded, so that its messages, handed back after this, cannot
     * store them a second time next to it: an SQS redelivery groups them into other files, under other names. The
     * object goes first: while it is there, its row makes the next start record its events and compaction leave it
     * alone. Once it is gone, the row only waits for the next start to drop it, so a row that cannot be dropped now
     * does not keep the messages. Deleting rather than keeping the row for the next start: a kept row would have to
     * keep the messages claimed until a restart (released, they would double the events), while a deleted object lets
     * them come again at once.
     */
    private void undo(String key) throws IOException, PermanentFailureException {
        writer.delete(key);
        log.warn("lake: deleted {}, stored but its events could not be recorded; its messages go back to the source",
                key);
        settled(key, "the next start drops it, its object being gone");
    }

    private void settled(String key, String otherwise) {
        if (ledger != null) {
            try {
                ledger.settled(key);
            } catch (SQLException e) {
                log.warn("lake: could not clear the storing row of {} (SQLSTATE {}); {}", key, e.getSQLState(),
                        otherwise);
            }
        }
    }

    /**
     * Where a record sits in its source, as the writer names files by it. A queue redelivers a message without its
     * neighbours, so its delivery count is part of the name: a redelivered message that starts a new file must not
     * overwrite the stored file its first delivery started, whose other messages may be acknowledged already.
     */
    record Position(String shard, String sequence) {
        static Position of(SourceCoordinates coordinates) {
            return switch (coordinates) {
                case SourceCoordinates.Stream s -> new Position(s.shardId(), s.sequenceNumber());
                case SourceCoordinates.Queue q -> new Position(q.queue(), q.messageId() + "-" + q.receiveCount());
                case SourceCoordinates.StoredObject o -> new Position(o.bucket(), o.key() + "@" + o.etag());
            };
        }
    }
}
