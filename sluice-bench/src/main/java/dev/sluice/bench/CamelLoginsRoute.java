package dev.sluice.bench;

import dev.sluice.core.json.VersionNumber;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.model.dataformat.JsonLibrary;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer of the logins pipeline that a Java team would write instead (issue 14): an Apache Camel route,
 * {@code aws2-sqs} consumer → Jackson → the same masking as Sluice's {@code mask} (its {@link PiiMasker}, same
 * keyset, so the tokens compare) and the same derived columns → batches of {@code batchSize} rows → one
 * {@code camel-sql} batch insert into {@link #TABLE} (the shape of {@code user_logins}) → DeleteMessageBatch of those
 * messages.
 *
 * <p>What it had to be told to be as safe as Sluice (docs/benchmarks.md): {@code deleteAfterRead=false}, because the
 * component deletes a message when its exchange completes, and an exchange handed to the aggregator completes as soon
 * as it is added to the batch, before the insert; so the route deletes the batch itself, after camel-sql returned
 * (autocommit: every row is committed by then). {@code ON CONFLICT (source_message_id) DO NOTHING}, because a
 * message whose batch was inserted but not deleted (crash, visibility expiry) comes back. A batch that was never
 * inserted (stop, crash, a failed insert) is not deleted and comes back after the visibility timeout.
 */
final class CamelLoginsRoute extends RouteBuilder {
    static final String TABLE = "camel_logins";
    static final String ROUTE_ID = "camel-logins";
    /** The registry names the endpoint URIs refer to. */
    static final String SQS_BEAN = "sqs";
    static final String DATA_SOURCE_BEAN = "logins";
    private static final String RECEIPT_HANDLE = "receipt_handle";
    private static final String RECEIPTS = "sluiceReceipts";
    private static final int MAX_DELETE_BATCH = 10;

    /**
     * How the route is tuned; every value is an option of the benchmark ({@code --camel-*}).
     *
     * @param consumers       the SQS consumer's {@code concurrentConsumers}: polling threads
     * @param maxPerPoll      its {@code maxMessagesPerPoll}; above 10 one poll sends several receives at once
     * @param batchSize       rows per insert (the aggregator's completion size)
     * @param lingerMillis    how long a batch may wait to fill (the aggregator's completion timeout)
     * @param visibilitySeconds how long a received message stays hidden from other receivers
     * @param rewriteBatchedInserts pgjdbc's {@code reWriteBatchedInserts}: the batch goes as multi-row INSERTs (as
     *                          Sluice's sink writes) instead of one INSERT per row in one round trip
     */
    record Tuning(int consumers, int maxPerPoll, int batchSize, int lingerMillis, int visibilitySeconds,
                  boolean rewriteBatchedInserts) {
        static final Tuning DEFAULTS = new Tuning(8, 10, 500, 20, 30, true);

        Tuning {
            positive("consumers", consumers);
            positive("maxPerPoll", maxPerPoll);
            positive("batchSize", batchSize);
            positive("lingerMillis", lingerMillis);
            positive("visibilitySeconds", visibilitySeconds);
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
        }

        static Tuning from(Options options) {
            return new Tuning(options.intValue("camel-consumers", DEFAULTS.consumers),
                    options.intValue("camel-max-per-poll", DEFAULTS.maxPerPoll),
                    options.intValue("camel-batch-size", DEFAULTS.batchSize),
                    options.intValue("camel-linger-ms", DEFAULTS.lingerMillis),
                    options.intValue("camel-visibility-seconds", DEFAULTS.visibilitySeconds),
                    booleanValue(options, "camel-rewrite-batched-inserts", DEFAULTS.rewriteBatchedInserts));
        }

        private static boolean booleanValue(Options options, String name, boolean fallback) {
            String value = options.value(name, Boolean.toString(fallback));
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--" + name + " must be true or false, was '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        List<String> toArgs() {
            return List.of("--camel-consumers", Integer.toString(consumers), "--camel-max-per-poll",
                    Integer.toString(maxPerPoll), "--camel-batch-size", Integer.toString(batchSize),
                    "--camel-linger-ms", Integer.toString(lingerMillis), "--camel-visibility-seconds",
                    Integer.toString(visibilitySeconds), "--camel-rewrite-batched-inserts",
                    Boolean.toString(rewriteBatchedInserts));
        }

        @Override
        public String toString() {
            return "concurrentConsumers=" + consumers + " maxMessagesPerPoll=" + maxPerPoll + " batch=" + batchSize
                    + " linger=" + lingerMillis + "ms visibility=" + visibilitySeconds + "s reWriteBatchedInserts="
                    + rewriteBatchedInserts;
        }
    }

    /** {@code CREATE TABLE} of {@link #TABLE}: {@code user_logins}' columns, types and unique key. */
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (LIKE user_logins INCLUDING ALL)";

    private static final String INSERT = "INSERT INTO " + TABLE + " (user_id, device_type, masked_ip, "
            + "masked_device_id, locale, app_version, create_date, app_version_text, source_message_id) VALUES "
            + "(:#user_id, :#device_type, :#masked_ip, :#masked_device_id, :#locale, :#app_version, :#create_date, "
            + ":#app_version_text, :#source_message_id) ON CONFLICT (source_message_id) DO NOTHING";

    private final String queue;
    private final Tuning tuning;
    private final PiiMasker masker;
    private final AtomicLong deleted = new AtomicLong();
    private volatile String queueUrl;

    CamelLoginsRoute(String queue, Tuning tuning, Keyset keyset) {
        this.queue = queue;
        this.tuning = tuning;
        this.masker = new PiiMasker(keyset, MaskMode.HMAC);
    }

    /** Messages the route deleted so far. */
    long deleted() {
        return deleted.get();
    }

    @Override
    public void configure() {
        from("aws2-sqs:" + queue + "?amazonSQSClient=#" + SQS_BEAN
                + "&deleteAfterRead=false"
                + "&concurrentConsumers=" + tuning.consumers()
                + "&maxMessagesPerPoll=" + tuning.maxPerPoll()
                + "&waitTimeSeconds=20&visibilityTimeout=" + tuning.visibilitySeconds()
                // poll again at once while messages come (the scheduler's 500 ms pause is for an empty queue)
                + "&greedy=true&delay=100")
                .routeId(ROUTE_ID)
                .unmarshal().json(JsonLibrary.Jackson, Map.class)
                .process(this::toRow)
                .aggregate(constant(true), AggregationStrategies.groupedBody())
                    .completionSize(tuning.batchSize())
                    .completionTimeout(tuning.lingerMillis())
                    .completionTimeoutCheckerInterval(tuning.lingerMillis())
                    .process(CamelLoginsRoute::keepReceipts)
                    .to("sql:" + INSERT + "?batch=true&dataSource=#" + DATA_SOURCE_BEAN)
                    .process(this::deleteBatch)
                .end();
    }

    /** The body as a row of {@link #TABLE}, with the same masking and derived columns as the logins definition. */
    private void toRow(Exchange exchange) {
        Map<?, ?> login = exchange.getMessage().getBody(Map.class);
        Map<String, Object> row = new HashMap<>();
        row.put("user_id", text(login, "user_id"));
        row.put("device_type", text(login, "device_type"));
        row.put("masked_ip", masker.mask(text(login, "ip")));
        row.put("masked_device_id", masker.mask(text(login, "device_id")));
        row.put("locale", login.get("locale"));
        String version = text(login, "app_version");
        row.put("app_version", VersionNumber.parse(version).encode());
        row.put("app_version_text", version);
        row.put("create_date", LocalDate.now(ZoneOffset.UTC));
        row.put("source_message_id", exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID, String.class));
        row.put(RECEIPT_HANDLE, exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class));
        exchange.getMessage().setBody(row);
    }

    /** A required string field; a failure leaves the message on the queue (no rejects table here). */
    private static String text(Map<?, ?> login, String field) {
        if (!(login.get(field) instanceof String value)) {
            throw new IllegalArgumentException(field + ": a string is required");
        }
        return value;
    }

    /** camel-sql may replace the body; the receipt handles go to a property first. */
    private static void keepReceipts(Exchange exchange) {
        List<?> rows = exchange.getMessage().getBody(List.class);
        List<String> receipts = new ArrayList<>(rows.size());
        for (Object row : rows) {
            receipts.add((String) ((Map<?, ?>) row).get(RECEIPT_HANDLE));
        }
        exchange.setProperty(RECEIPTS, receipts);
    }

    /**
     * Deletes the batch's messages once their rows are committed: DeleteMessageBatch of 10, as Sluice does (the
     * component's own delete is one DeleteMessage per message). A refused entry fails the exchange; its message
     * comes back and the insert skips its row.
     */
    private void deleteBatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> receipts = exchange.getProperty(RECEIPTS, List.class);
        SqsClient sqs = exchange.getContext().getRegistry().lookupByNameAndType(SQS_BEAN, SqsClient.class);
        if (queueUrl == null) {
            queueUrl = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        }
        for (int from = 0; from < receipts.size(); from += MAX_DELETE_BATCH) {
            List<String> chunk = receipts.subList(from, Math.min(receipts.size(), from + MAX_DELETE_BATCH));
            RawDrain.deleteBatch(sqs, queueUrl, chunk);
            deleted.addAndGet(chunk.size());
        }
    }
}
