package dev.sluice.aws.kinesis.reader;

import dev.sluice.aws.kinesis.proxy.IteratorPosition;
import dev.sluice.aws.kinesis.proxy.KinesisProxy;
import dev.sluice.aws.kinesis.proxy.RecordBatch;
import dev.sluice.core.engine.Backoff;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

/**
 * Reads one shard into its {@link ShardBuffer}, on a thread of its own (a virtual thread in the source): at most
 * one GetRecords per {@link GetRecordsPacer pace}, capped exponential backoff with jitter when Kinesis says the
 * shard's or the account's throughput is exceeded (and on any other failure, which is retried the same way), a
 * fresh iterator when one expired (after the last record read; a LATEST reader that read nothing yet asks for
 * AT_TIMESTAMP of when it first asked, so records put during a long outage are not skipped), and a wait for a rewind
 * once the shard is read to its end.
 *
 * <pre>{@code
 * ShardBuffer buffer = new ShardBuffer(1_000, new IteratorPosition.TrimHorizon(), wakePoll);
 * ShardReader reader = new ShardReader("product-events", "shardId-000000000000", proxy, buffer, 1_000,
 *         new GetRecordsPacer(Duration.ofMillis(200), Clock.systemUTC(), Sleeper.SYSTEM),
 *         new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10)), InstantSource.system(), Sleeper.SYSTEM);
 * Thread.ofVirtual().start(reader);
 * ...
 * reader.stop();
 * }</pre>
 */
public final class ShardReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ShardReader.class);

    private final String stream;
    private final String shardId;
    private final KinesisProxy proxy;
    private final ShardBuffer buffer;
    private final int recordsPerCall;
    private final GetRecordsPacer pacer;
    private final Backoff backoff;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private volatile long millisBehindLatest = -1;
    private volatile boolean stopped;

    public ShardReader(String stream, String shardId, KinesisProxy proxy, ShardBuffer buffer, int recordsPerCall,
                       GetRecordsPacer pacer, Backoff backoff, InstantSource clock, Sleeper sleeper) {
        this.stream = stream;
        this.shardId = shardId;
        this.proxy = proxy;
        this.buffer = buffer;
        this.recordsPerCall = recordsPerCall;
        this.pacer = pacer;
        this.backoff = backoff;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** How far the last read trailed the shard's newest record; empty before the first read. */
    public Optional<Long> millisBehindLatest() {
        long behind = millisBehindLatest;
        return behind < 0 ? Optional.empty() : Optional.of(behind);
    }

    /** Ends the loop at its next wait; the thread running it should also be interrupted. */
    public void stop() {
        stopped = true;
        buffer.stop();
    }

    @Override
    public void run() {
        ShardBuffer.Restart start = buffer.start();
        IteratorPosition position = start.position();
        long epoch = start.epoch();
        String iterator = null;
        int failures = 0;
        while (!stopped) {
            try {
                Optional<ShardBuffer.Restart> restart = buffer.takeRestart();
                if (restart.isPresent()) {
                    position = restart.get().position();
                    epoch = restart.get().epoch();
                    iterator = null;
                    log.debug("stream {} shard {}: reading again from {}", stream, shardId, position);
                }
                if (iterator == null) {
                    Instant asked = clock.instant();
                    iterator = proxy.shardIterator(stream, shardId, position);
                    if (position instanceof IteratorPosition.Latest) {
                        // LATEST asked again after an expiry would skip what arrived meanwhile; this is where it began.
                        position = new IteratorPosition.AtTimestamp(asked);
                    }
                }
                pacer.awaitTurn();
                RecordBatch batch = proxy.getRecords(iterator, recordsPerCall);
                failures = 0;
                millisBehindLatest = batch.millisBehindLatest();
                if (!batch.records().isEmpty()) {
                    if (!buffer.offer(batch.records(), epoch)) {
                        continue;
                    }
                    position = new IteratorPosition.AfterSequence(batch.records().getLast().sequenceNumber());
                }
                if (batch.shardEnded()) {
                    buffer.markEnded(epoch);
                    log.info("stream {} shard {}: read to its end", stream, shardId);
                    buffer.awaitRestartOrStop();
                    iterator = null;
                } else {
                    iterator = batch.nextIterator();
                }
            } catch (ExpiredIteratorException e) {
                iterator = null;
            } catch (ProvisionedThroughputExceededException | LimitExceededException e) {
                log.debug("stream {} shard {}: throughput exceeded, backing off (attempt {})", stream, shardId,
                        failures + 1);
                if (!pause(failures++)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("stream {} shard {}: reading failed, retrying (attempt {}): {}", stream, shardId,
                        failures + 1, e.toString());
                // The iterator may be what failed; the position says where to get a new one.
                iterator = null;
                if (!pause(failures++)) {
                    return;
                }
            }
        }
    }

    private boolean pause(int attempt) {
        try {
            sleeper.sleep(backoff.delay(attempt));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
