package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.core.engine.Backoff;
import dev.sluice.pipelines.lake.LakeEventGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends generated lake events, paced to a rate: to a Kinesis stream with PutRecords (500 records per call, partition
 * key event_uuid, so a duplicate lands on its original's shard; refused records, such as throughput exceeded, are
 * sent again with backoff) or to an SQS queue (10 per call). Used by {@code sluice generate lake}.
 */
final class LakeEventSender {
    static final int KINESIS_BATCH = 500;
    private static final Backoff THROTTLED = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Where a batch of events goes. */
    @FunctionalInterface
    interface Publisher {
        void publish(List<LakeEventGenerator.Generated> events) throws InterruptedException;
    }

    private final LakeEventGenerator generator;
    private final Publisher publisher;
    private final int batch;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    LakeEventSender(LakeEventGenerator generator, Publisher publisher, int batch, Clock clock) {
        this.generator = generator;
        this.publisher = publisher;
        this.batch = batch;
        this.clock = clock;
    }

    static Publisher kinesis(KinesisClient kinesis, String stream) {
        return events -> {
            List<PutRecordsRequestEntry> pending = events.stream().map(e -> PutRecordsRequestEntry.builder()
                    .partitionKey(e.eventUuid()).data(SdkBytes.fromString(e.body(), StandardCharsets.UTF_8))
                    .build()).toList();
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt > 0) {
                    Thread.sleep(THROTTLED.delay(attempt - 1));
                }
                List<PutRecordsRequestEntry> request = pending;
                PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(request));
                List<PutRecordsRequestEntry> refused = new ArrayList<>();
                List<PutRecordsResultEntry> results = response.records();
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).errorCode() != null) {
                        refused.add(request.get(i));
                    }
                }
                pending = refused;
            }
        };
    }

    static Publisher sqs(SqsClient sqs, String queueUrl) {
        return events -> SqsBatchSender.send(sqs, queueUrl,
                events.stream().map(LakeEventGenerator.Generated::body).toList());
    }

    long sent() {
        return sent.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long late() {
        return late.get();
    }

    private void publish(List<LakeEventGenerator.Generated> events) throws InterruptedException {
        try {
            publisher.publish(events);
        } catch (AbortedException e) {
            // The SDK reports an interrupt during a call this way; callers stop on InterruptedException alone.
            InterruptedException stop = new InterruptedException("interrupted while sending events");
            stop.initCause(e);
            throw stop;
        }
    }

    /**
     * Sends {@code count} events or until {@code duration} passed, whichever comes first; unpaced when rate is null.
     *
     * @throws InterruptedException when the thread is interrupted, also in the middle of a call to the stream or queue
     */
    void send(long count, Duration duration, Rate rate) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
        while (sent.get() < count && System.nanoTime() < deadline) {
            int n = (int) Math.min(batch, count - sent.get());
            if (rate != null) {
                long wait = started + (long) ((sent.get() + n) / rate.perSecond() * 1e9) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
            List<LakeEventGenerator.Generated> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                LakeEventGenerator.Generated e = generator.next(clock.instant());
                events.add(e);
                if (e.duplicate()) {
                    duplicates.incrementAndGet();
                } else if (e.late()) {
                    late.incrementAndGet();
                }
            }
            publish(events);
            sent.addAndGet(n);
        }
    }
}
