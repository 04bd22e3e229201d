package dev.sluice.postgres.plugin;

import dev.sluice.core.engine.BufferingSink;
import dev.sluice.core.engine.Delivery;
import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Source;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.json.FieldSpec;
import dev.sluice.core.json.FieldType;
import dev.sluice.core.json.FlatRecord;
import dev.sluice.core.json.Flattener;
import dev.sluice.core.json.JsonObjectParser;
import dev.sluice.core.json.RecordSchema;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.Fields;
import dev.sluice.core.pipeline.Processor;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.ReadsFrom;
import dev.sluice.postgres.SqlIdentifier;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The parts the Postgres plugins' tests need around them: an in-memory queue (which can deliver every message a
 * second time, as SQS may), a queue in a table that outlives a crashed worker, a stand-in for the schema processor,
 * and a sink that gathers files for dedupe.
 */
final class TestPlugins implements PluginProvider {

    static final Map<String, InMemoryQueue> QUEUES = new ConcurrentHashMap<>();
    /** The events each pipeline's {@code files} sink stored, in the order stored. */
    static final Map<String, List<Event>> STORED = new ConcurrentHashMap<>();

    /**
     * @param queue     the queue's name
     * @param redeliver every message acknowledged comes once more, with its id (an SQS delete that was lost)
     */
    record MemorySettings(String queue, boolean redeliver) implements ReadsFrom {
        MemorySettings {
            if (queue == null) {
                throw new IllegalArgumentException("queue is required");
            }
        }

        @Override
        public String readsFrom() {
            return "memory queue " + queue;
        }
    }

    /** One declared field of {@link FieldsSettings}. */
    record FieldSettings(FieldType type, Integer maxLength, boolean optional, boolean nullable) {
        FieldSpec spec(String name) {
            FieldSpec spec = FieldSpec.of(name, type == null ? FieldType.STRING : type);
            spec = maxLength == null ? spec : spec.maxLength(maxLength);
            spec = optional ? spec.optional() : spec;
            return nullable ? spec.nullable() : spec;
        }
    }

    /** The body as a JSON object with exactly these fields: what parse_json and schema will do. */
    record FieldsSettings(Map<String, FieldSettings> fields) {
    }

    record NoSettings() {
    }

    /**
     * @param table          the inbox table: {@code id text PRIMARY KEY, body text, seq bigserial}
     * @param haltOnFirstAck halt the JVM when the runner first acknowledges, which it does after the sink's write
     *                       committed: a crash between insert and ack
     */
    record InboxSettings(String table, boolean haltOnFirstAck) implements ReadsFrom {
        @Override
        public String readsFrom() {
            return "inbox " + table;
        }
    }

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(
                Plugin.source("memory", MemorySettings.class, "an in-memory queue", (settings, context) -> {
                    InMemoryQueue queue = QUEUES.computeIfAbsent(settings.queue(),
                            name -> new InMemoryQueue(name, Duration.ofSeconds(30)));
                    return Plugin.SourcePart.of(settings.redeliver() ? new Redelivering(queue) : queue);
                }),
                Plugin.source("inbox", InboxSettings.class, "a queue in a Postgres table, kept across crashes",
                        (settings, context) -> Plugin.SourcePart.of(new Inbox(context.shared(
                                PostgresResources.DATABASE).dataSource(), settings))),
                Plugin.processor("json_fields", FieldsSettings.class, "a JSON body with these fields",
                        (settings, context) -> fields(settings)),
                Plugin.sink("files", NoSettings.class, "gathers events into files stored at each roll",
                        (settings, context) -> new Plugin.SinkPart(new Files(STORED.computeIfAbsent(
                                context.pipeline(), name -> new CopyOnWriteArrayList<>())), false)));
    }

    static void forget() {
        QUEUES.clear();
        STORED.clear();
    }

    private static Processor fields(FieldsSettings settings) {
        List<FieldSpec> specs = settings.fields().entrySet().stream()
                .map(field -> field.getValue().spec(field.getKey())).toList();
        Stage<String, FlatRecord> parse = new JsonObjectParser().then(new Flattener()).then(RecordSchema.of(specs));
        return new Processor() {
            @Override
            public Outcome<Event> apply(Event event) {
                return switch (parse.apply(event.message().body())) {
                    case Outcome.Emit<FlatRecord> emit -> Outcome.emit(event.with(emit.value()));
                    case Outcome.Drop<FlatRecord> drop -> Outcome.drop(drop.why());
                    case Outcome.Reject<FlatRecord> reject -> Outcome.reject(reject.reason());
                };
            }

            @Override
            public Fields fieldsAfter(Fields before) {
                return Fields.of(specs);
            }
        };
    }

    /** Hands every acknowledged message out once more under the same id before it is really acknowledged. */
    private static final class Redelivering extends ForwardingSource {
        private final Queue<Message> again = new ConcurrentLinkedQueue<>();
        private final Set<String> redelivered = ConcurrentHashMap.newKeySet();

        Redelivering(Source queue) {
            super(queue);
        }

        @Override
        public List<Message> poll(int max) throws Exception {
            List<Message> out = new ArrayList<>();
            for (Message next = again.poll(); next != null; next = out.size() < max ? again.poll() : null) {
                out.add(next);
            }
            return out.isEmpty() ? super.poll(max) : out;
        }

        @Override
        public void acknowledge(List<Message> messages) throws Exception {
            List<Message> done = new ArrayList<>();
            for (Message message : messages) {
                SourceCoordinates.Queue at = (SourceCoordinates.Queue) message.coordinates();
                if (redelivered.add(at.messageId())) {
                    again.add(new Message(message.body(), new SourceCoordinates.Queue(at.queue(), at.messageId(),
                            at.receiveCount() + 1), message.sentAt(), message.receipt() + "-again"));
                } else {
                    done.add(message);
                }
            }
            super.acknowledge(done);
        }
    }

    /**
     * Messages kept in a table until acknowledged, so they outlive a crashed worker: the next worker receives again
     * whatever was not deleted. Claims live in the worker's memory (one worker at a time).
     */
    private static final class Inbox implements Source {
        private final DataSource dataSource;
        private final String table;
        private final boolean haltOnFirstAck;
        private final Set<String> claimed = ConcurrentHashMap.newKeySet();

        Inbox(DataSource dataSource, InboxSettings settings) {
            this.dataSource = dataSource;
            this.table = SqlIdentifier.table(settings.table()).sql();
            this.haltOnFirstAck = settings.haltOnFirstAck();
        }

        @Override
        public String name() {
            return "inbox";
        }

        @Override
        public synchronized List<Message> poll(int max) throws Exception {
            List<Message> out = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("SELECT id, body"
                    + " FROM " + table + " WHERE NOT (id = ANY(?)) ORDER BY seq LIMIT ?")) {
                s.setArray(1, c.createArrayOf("text", claimed.toArray()));
                s.setInt(2, max);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(rs.getString(1));
                        out.add(new Message(rs.getString(2), new SourceCoordinates.Queue("inbox", rs.getString(1), 1),
                                Instant.now(), rs.getString(1)));
                    }
                }
            }
            if (out.isEmpty()) {
                Thread.sleep(50);
            }
            return out;
        }

        @Override
        public void acknowledge(List<Message> messages) throws Exception {
            if (haltOnFirstAck) {
                Runtime.getRuntime().halt(CrashTest.HALT_STATUS);
            }
            List<String> ids = messages.stream().map(Message::receipt).toList();
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY(?)")) {
                s.setArray(1, c.createArrayOf("text", ids.toArray()));
                s.executeUpdate();
            }
            ids.forEach(claimed::remove);
        }

        @Override
        public void extendClaim(List<Message> messages, Duration extension) {
            if (extension.isZero()) {
                messages.forEach(message -> claimed.remove(message.receipt()));
            }
        }

        @Override
        public Duration claimTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public void close() {
            claimed.clear();
        }
    }

    /** A sink that gathers events and stores them all at each roll (or when flushed), then reports them durable. */
    private static final class Files implements BufferingSink<Event> {
        private final List<Event> stored;
        private final List<Delivery<Event>> open = new ArrayList<>();
        private Durable durable;

        Files(List<Event> stored) {
            this.stored = stored;
        }

        @Override
        public void start(Durable durable) {
            this.durable = durable;
        }

        @Override
        public synchronized void write(List<Delivery<Event>> deliveries) {
            open.addAll(deliveries);
        }

        @Override
        public void roll(Instant now) {
            List<Delivery<Event>> file;
            synchronized (this) {
                file = List.copyOf(open);
                open.clear();
            }
            if (!file.isEmpty()) {
                file.forEach(delivery -> stored.add(delivery.value()));
                durable.durable(file.stream().map(Delivery::source).toList());
            }
        }

        @Override
        public void flush() {
            roll(Instant.now());
        }

        @Override
        public void giveUpPending(String reason) {
            // Nothing is ever pending: a roll stores at once.
        }

        @Override
        public Duration tick() {
            return Duration.ofMillis(200);
        }
    }
}
