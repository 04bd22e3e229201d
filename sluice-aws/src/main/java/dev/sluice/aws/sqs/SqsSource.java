package dev.sluice.aws.sqs;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.core.engine.Backlog;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.SourceCoordinates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An SQS queue as a Sluice {@link Source}: long-polls for messages, claims them with the visibility timeout,
 * deletes them only when the runner acknowledges, and extends or releases claims for the heartbeat and on stop.
 *
 * <p>Deleting a message whose receipt handle is no longer valid (deleted already, or its claim expired and it was
 * received again) is not an error: the message is either gone or being processed again, and the sinks are
 * idempotent. Any other refusal fails the call so the runner retries it.
 *
 * <p>Thread-safe: receivers, writers and the heartbeat call it concurrently. Logs name the queue and message ids,
 * never bodies (they may hold personal data).
 *
 * <pre>{@code
 * SqsSource source = SqsSource.connect(AwsClientSettings.defaults(), SqsSourceSettings.of("login-queue"));
 * Runner<Login> runner = Runner.builder("logins", source, stages, sink, errorSink).build();
 * runner.start();
 * ...
 * runner.stop();   // releases unfinished messages, then closes the source and the client it created
 * }</pre>
 */
public final class SqsSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(SqsSource.class);

    /** SQS accepts at most this many entries per batch call. */
    static final int BATCH_LIMIT = 10;

    /** Error codes meaning "this receipt handle no longer claims the message", with any protocol prefix removed. */
    private static final Set<String> STALE_RECEIPT_CODES =
            Set.of("ReceiptHandleIsInvalid", "InvalidReceiptHandle", "MessageNotInflight");

    private final SqsClient client;
    private final boolean ownsClient;
    private final SqsSourceSettings settings;
    private final String queueUrl;
    private final String queueName;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SqsBacklog backlog;

    private SqsSource(SqsClient client, boolean ownsClient, SqsSourceSettings settings, String queueUrl,
                      String queueName, Clock clock) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.settings = settings;
        this.queueUrl = queueUrl;
        this.queueName = queueName;
        this.clock = clock;
        this.backlog = new SqsBacklog(client, queueUrl);
    }

    /**
     * Creates a client from {@code aws}, resolves the queue, and closes the client with the source.
     *
     * @throws IllegalArgumentException if the API call timeout does not exceed the long-poll wait, or the queue
     *                                  does not exist
     * @throws IllegalStateException    if SQS cannot be reached, or the settings require a dead-letter queue and the
     *                                  queue has none
     */
    public static SqsSource connect(AwsClientSettings aws, SqsSourceSettings settings) {
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(settings, "settings");
        if (aws.apiCallTimeout().compareTo(settings.waitTime()) <= 0) {
            throw new IllegalArgumentException("apiCallTimeout (" + aws.apiCallTimeout().toSeconds() + " s) must "
                    + "exceed waitTime (" + settings.waitTime().toSeconds() + " s), or every idle long poll times "
                    + "out");
        }
        SqsClient client = SqsClients.create(aws);
        try {
            return open(client, true, settings);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Uses a client the caller owns and closes; the caller must give it an API call timeout above the long-poll
     * wait.
     *
     * @throws IllegalArgumentException if the queue does not exist
     * @throws IllegalStateException    if the settings require a dead-letter queue and the queue has none
     */
    public static SqsSource connect(SqsClient client, SqsSourceSettings settings) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        return open(client, false, settings);
    }

    private static SqsSource open(SqsClient client, boolean ownsClient, SqsSourceSettings settings) {
        String url = queueUrl(client, settings.queue());
        SqsSource source = new SqsSource(client, ownsClient, settings, url, settings.queueName(), Clock.systemUTC());
        if (settings.requireDeadLetterQueue() && source.redrivePolicy().isEmpty()) {
            throw new IllegalStateException("SQS queue " + source.name() + " has no dead-letter queue (no"
                    + " RedrivePolicy attribute), so a message released again and again would come back until the"
                    + " queue's retention period ends; give the queue a redrive policy, or set"
                    + " requireDeadLetterQueue: false to read it without one");
        }
        log.info("reading SQS queue {} at {}", source.name(), url);
        return source;
    }

    /**
     * The URL of {@code queue} (a name or a URL), confirming that it exists.
     *
     * @throws IllegalArgumentException naming the queue and the endpoint if it does not exist
     */
    public static String queueUrl(SqsClient client, String queue) {
        try {
            if (SqsSourceSettings.isUrl(queue)) {
                // Confirms the queue exists; the same permission serves approximateDepth().
                client.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN));
                return queue;
            }
            return client.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw new IllegalArgumentException("SQS queue '" + queue + "' does not exist at " + where(client), e);
        } catch (SdkClientException e) {
            throw new IllegalStateException("cannot reach SQS at " + where(client) + " to find queue '" + queue
                    + "': " + e.getMessage(), e);
        }
    }

    private static String where(SqsClient client) {
        var config = client.serviceClientConfiguration();
        return config.endpointOverride().map(URI::toString).orElse("region " + config.region());
    }

    /** The queue name. */
    @Override
    public String name() {
        return queueName;
    }

    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public List<Message> poll(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        var received = client.receiveMessage(r -> r.queueUrl(queueUrl)
                .maxNumberOfMessages(Math.min(max, settings.maxMessagesPerPoll()))
                .waitTimeSeconds((int) settings.waitTime().toSeconds())
                .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        if (received.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Message> messages = new ArrayList<>(received.size());
        for (var m : received) {
            Map<MessageSystemAttributeName, String> attributes = m.attributes();
            var coordinates = new SourceCoordinates.Queue(queueName, m.messageId(),
                    receiveCount(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)));
            Instant sentAt = sentAt(attributes.get(MessageSystemAttributeName.SENT_TIMESTAMP), now);
            messages.add(new Message(Objects.requireNonNullElse(m.body(), ""), coordinates, sentAt,
                    m.receiptHandle()));
        }
        log.debug("queue {}: received {} messages", queueName, messages.size());
        return messages;
    }

    private static int receiveCount(String attribute) {
        return attribute == null ? 1 : Integer.parseInt(attribute);
    }

    private static Instant sentAt(String attribute, Instant fallback) {
        return attribute == null ? fallback : Instant.ofEpochMilli(Long.parseLong(attribute));
    }

    /**
     * Deletes the messages, up to ten per call and the calls concurrently. Idempotent: messages already deleted,
     * or redelivered since, are skipped.
     *
     * @throws SqsBatchException if SQS refused entries for another reason; retrying is safe
     */
    @Override
    public void acknowledge(List<Message> messages) throws Exception {
        inBatches("delete", messages, batch -> {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(batch.get(i).receipt()).build());
            }
            return client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed();
        });
    }

    /**
     * Sets the remaining claim of each message to {@code extension}, rounded up to whole seconds; {@link
     * Duration#ZERO} releases them for redelivery at once. Messages deleted meanwhile are skipped.
     *
     * @throws SqsBatchException if SQS refused entries for another reason; retrying is safe
     */
    @Override
    public void extendClaim(List<Message> messages, Duration extension) throws Exception {
        if (extension.isNegative() || extension.compareTo(SqsSourceSettings.MAX_VISIBILITY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("extension must be between 0 and 12 hours, was " + extension);
        }
        long whole = extension.toSeconds();
        int seconds = (int) (extension.toNanosPart() == 0 ? whole : whole + 1);
        inBatches(seconds == 0 ? "release" : "extend", messages, batch -> {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(batch.get(i).receipt())
                        .visibilityTimeout(seconds).build());
            }
            return client.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed();
        });
    }

    /** The visibility timeout. */
    @Override
    public int maxPerPoll() {
        return settings.maxMessagesPerPoll();
    }

    @Override
    public Duration claimTimeout() {
        return settings.visibilityTimeout();
    }

    /** Waiting, in-flight and dead-lettered messages, as SQS estimates them (eventually consistent). */
    @Override
    public Optional<Backlog> backlog() {
        return Optional.of(backlog.read());
    }

    /**
     * Messages waiting plus messages claimed, as SQS estimates them (eventually consistent), for status and
     * metrics. Delayed messages are not counted.
     */
    public long approximateDepth() {
        return approximateDepth(client, queueUrl);
    }

    /**
     * The queue's redrive policy as SQS returns it, e.g. {@code {"deadLetterTargetArn":"arn:…:queue-dlq",
     * "maxReceiveCount":"5"}}; empty when the queue has none, so a message released again and again is never moved
     * to a dead-letter queue. Needs {@code sqs:GetQueueAttributes}, like the backlog.
     */
    public Optional<String> redrivePolicy() {
        String policy = client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        return policy == null || policy.isBlank() ? Optional.empty() : Optional.of(policy);
    }

    /** Messages waiting plus messages in flight on {@code queueUrl}, as SQS approximates them. */
    public static long approximateDepth(SqsClient client, String queueUrl) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /** Closes the client if this source created it; a client passed in stays open. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    /**
     * Sends {@code messages} in batches of at most ten, concurrently on virtual threads when there is more than
     * one, then fails with every entry SQS refused for a reason other than a stale receipt handle.
     */
    private void inBatches(String operation, List<Message> messages,
                           Function<List<Message>, List<BatchResultErrorEntry>> send) throws Exception {
        if (messages.isEmpty()) {
            return;
        }
        List<List<Message>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH_LIMIT) {
            batches.add(messages.subList(from, Math.min(messages.size(), from + BATCH_LIMIT)));
        }
        List<List<BatchResultErrorEntry>> failed = batches.size() == 1
                ? List.of(send.apply(batches.getFirst()))
                : sendConcurrently(batches, send);
        List<String> failures = new ArrayList<>();
        List<String> failedIds = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            for (BatchResultErrorEntry error : failed.get(b)) {
                String messageId = messageId(batches.get(b).get(Integer.parseInt(error.id())));
                if (isStaleReceipt(error)) {
                    log.debug("queue {}: {} skipped message {}: its receipt handle is no longer valid ({})",
                            queueName, operation, messageId, error.code());
                } else {
                    failures.add(messageId + ": " + error.code() + " " + error.message());
                    failedIds.add(messageId);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new SqsBatchException(operation, queueName, failures, failedIds);
        }
        log.debug("queue {}: {} done for {} messages", queueName, operation, messages.size());
    }

    private static List<List<BatchResultErrorEntry>> sendConcurrently(
            List<List<Message>> batches, Function<List<Message>, List<BatchResultErrorEntry>> send)
            throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<BatchResultErrorEntry>>> futures = new ArrayList<>(batches.size());
            for (List<Message> batch : batches) {
                futures.add(threads.submit(() -> send.apply(batch)));
            }
            List<List<BatchResultErrorEntry>> results = new ArrayList<>(batches.size());
            Exception failure = null;
            for (Future<List<BatchResultErrorEntry>> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception c ? c : e;
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        }
    }

    private static String messageId(Message message) {
        return message.coordinates() instanceof SourceCoordinates.Queue queue ? queue.messageId()
                : message.coordinates().describe();
    }

    static boolean isStaleReceipt(BatchResultErrorEntry error) {
        String code = error.code() == null ? "" : error.code();
        code = code.substring(Math.max(code.lastIndexOf('.'), code.lastIndexOf('#')) + 1);
        if (STALE_RECEIPT_CODES.contains(code)) {
            return true;
        }
        String text = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
        return code.equals("InvalidParameterValue")
                && (text.contains("receipthandle") || text.contains("receipt handle"));
    }
}
