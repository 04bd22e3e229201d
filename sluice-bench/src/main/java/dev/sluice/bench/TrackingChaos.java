package dev.sluice.bench;

import dev.sluice.pipelines.warehouse.WarehouseLoadJob;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.tracking.TrackingEventGenerator;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Tracking under chaos: app events (2% resent, 2% cut short) into {@code tracking-events}. The raw archive must hold
 * every event at least once (a file stored just before a kill holds its events again in a later file: at least
 * once by design, counted, not a failure); every cut-short message must be one {@code tracking_rejects} row with a
 * reason; after a final warehouse load, {@code events} must hold every event id exactly once.
 */
final class TrackingChaos extends ChaosTarget {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double DUPLICATE_RATE = 0.02;
    private static final double MALFORMED_RATE = 0.02;

    private final TrackingEventGenerator generator;
    /** SQS message id → the event id in its body, or "" for a body that is not JSON. */
    private final Map<String, String> ledger = new ConcurrentHashMap<>();

    TrackingChaos(long seed) {
        super("tracking", Set.of(ChaosStack.Service.QUEUE, ChaosStack.Service.S3, ChaosStack.Service.POSTGRES),
                new ChaosQueue(ShippedTracking.queue()));
        this.generator = new TrackingEventGenerator(seed, DUPLICATE_RATE, MALFORMED_RATE, Clock.systemUTC());
    }

    @Override
    void prepareMore(EmbeddedStack.Builder stack) {
        stack.bucket(ShippedTracking.bucket());
    }

    /** Files closed after 5 s and a load every 20 s, so both the archiver and the loader are hit by the faults. */
    @Override
    String settings() {
        return queue().sourceSettings("tracking") + """
                      sink: {roll: {maxAge: 5s}}
                      jobs: [{id: load, every: 20s, firstRun: 5s}]
                """;
    }

    @Override
    void send(ChaosStack stack, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(generator.next());
        }
        queue().send(stack, bodies, (body, messageId) -> ledger.put(messageId, eventId(body)));
    }

    private static String eventId(String body) {
        try {
            return JSON.readTree(body).path("id").asString("").toUpperCase(Locale.ROOT);
        } catch (JacksonException notJson) {
            return "";
        }
    }

    @Override
    long sinkCount(ChaosStack stack) throws Exception {
        return rawFiles(stack).size() + stack.count("SELECT count(*) FROM tracking_rejects");
    }

    private List<S3Object> rawFiles(ChaosStack stack) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(ShippedTracking.bucket()).prefix(ShippedTracking.archivePrefix()))
                .contents().stream().toList();
    }

    @Override
    ChaosVerdict verify(ChaosStack stack) throws Exception {
        Map<String, Integer> raw = new HashMap<>();
        for (S3Object file : rawFiles(stack)) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    stack.s3().getObject(b -> b.bucket(ShippedTracking.bucket()).key(file.key()))), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    raw.merge(eventId(line), 1, Integer::sum);
                }
            }
        }
        PGSimpleDataSource warehouse = new PGSimpleDataSource();
        warehouse.setUrl(stack.servers().postgres().jdbcUrl());
        WarehouseLoadJob.Summary load = ShippedTracking.loadJob(stack.s3(), warehouse).loadPending();
        System.out.println("tracking: final warehouse load: " + load);
        Map<String, Integer> rows = stack.occurrences("SELECT upper(id) FROM events");
        Map<String, String> rejects = stack.pairs("SELECT message_id, reason FROM tracking_rejects");
        long loadErrors = stack.count("SELECT count(*) FROM " + ShippedTracking.load().loadErrors());
        return verdict(raw, rows, rejects, loadErrors, queue().deadLettered(stack));
    }

    private ChaosVerdict verdict(Map<String, Integer> raw, Map<String, Integer> rows, Map<String, String> rejects,
                                 long loadErrors, long deadLettered) {
        Map<String, Integer> sentCopies = new HashMap<>();
        long malformed = 0;
        long rejected = 0;
        long lost = 0;
        ChaosNotes wrong = new ChaosNotes();
        for (Map.Entry<String, String> sent : ledger.entrySet()) {
            String reason = rejects.get(sent.getKey());
            if (sent.getValue().isEmpty()) {
                malformed++;
                lost += reason == null ? 1 : 0;
                rejected += reason != null && wrong.hasReason(reason) ? 1 : 0;
            } else {
                sentCopies.merge(sent.getValue(), 1, Integer::sum);
                wrong.addIf(reason != null, "a valid event rejected: " + reason);
            }
        }
        long stored = 0;
        long doubled = 0;
        long rawExtra = 0;
        long lostInRaw = 0;
        for (Map.Entry<String, Integer> event : sentCopies.entrySet()) {
            int inRaw = raw.getOrDefault(event.getKey(), 0);
            int inWarehouse = rows.getOrDefault(event.getKey(), 0);
            lostInRaw += inRaw == 0 ? 1 : 0;
            rawExtra += Math.max(0, inRaw - event.getValue());
            stored += Math.min(inWarehouse, 1);
            doubled += Math.max(0, inWarehouse - 1);
            lost += inWarehouse == 0 ? 1 : 0;
        }
        rows.keySet().stream().filter(id -> !sentCopies.containsKey(id))
                .forEach(id -> wrong.add("an events row the generator never sent"));
        raw.keySet().stream().filter(id -> !sentCopies.containsKey(id))
                .forEach(id -> wrong.add("a raw line the generator never sent (or not JSON)"));
        wrong.addIf(loadErrors > 0, loadErrors + " warehouse load errors");
        List<String> notes = new ArrayList<>(wrong.lines());
        notes.add("raw archive: " + lostInRaw + " events missing, " + rawExtra + " extra copies beyond those sent "
                + "(at least once by design: a file stored just before a kill is written again)");
        if (deadLettered > 0) {
            notes.add(deadLettered + " messages in " + ShippedTracking.queue() + "-dlq");
        }
        long duplicates = sentCopies.values().stream().mapToLong(n -> n - 1).sum();
        return new ChaosVerdict(ledger.size(), duplicates, malformed, stored, lost, doubled, rejected, wrong.count(),
                notes);
    }
}
