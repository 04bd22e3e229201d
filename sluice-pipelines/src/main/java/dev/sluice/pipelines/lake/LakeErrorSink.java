package dev.sluice.pipelines.lake;

import dev.sluice.core.engine.ErrorSink;
import dev.sluice.core.engine.Rejected;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.postgres.StorableText;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Objects;

/**
 * The lake's rejects in {@code lake_errors}: the record's coordinates (a Kinesis shard and sequence number, or an SQS
 * queue and message id: the natural key, so a replayed reject adds nothing), the reason and the raw body. All
 * rejects of one call are written in one transaction. Whatever the record holds, the table takes it
 * ({@link StorableText}: NUL and lone surrogates escaped, the body otherwise exactly as received; over-long
 * coordinates and reasons cut with a marker), so a reject is never refused and never stops the pipeline.
 */
public final class LakeErrorSink implements ErrorSink {

    private final DataSource dataSource;

    public LakeErrorSink(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void write(List<Rejected> rejects) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO lake_errors (source, reason, raw_body)"
                    + " VALUES (?, ?, ?) ON CONFLICT (source) DO NOTHING")) {
                for (Rejected r : rejects) {
                    s.setString(1, StorableText.bounded(source(r.source().coordinates()),
                            StorableText.MAX_KEY_CHARS));
                    s.setString(2, StorableText.bounded(r.reason(), StorableText.MAX_REASON_CHARS));
                    s.setString(3, StorableText.escaped(r.source().body()));
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Stable across redeliveries: the SQS receive count is left out. */
    static String source(SourceCoordinates coordinates) {
        return switch (coordinates) {
            case SourceCoordinates.Queue q -> "sqs:" + q.queue() + "/" + q.messageId();
            case SourceCoordinates.Stream s -> s.describe();
            case SourceCoordinates.StoredObject o -> o.describe();
        };
    }
}
