package dev.sluice.cli;

import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.config.ConfigNode;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.process.JsonValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice run --dry-run PIPELINE}: reads up to N real messages from the pipeline's SQS queue, releases them at
 * once (visibility back to 0, so they are visible again and nothing is acknowledged), and prints what the
 * pipeline's processors make of each: the record as JSON (after the pipeline's own mask step, so masked fields show
 * their tokens), the reject's reason, or the drop's. Sinks, error sinks and stores are never built, so nothing is
 * written. A reject's raw body is never printed, only its reason and position, as the logs do.
 */
final class DryRun {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Short polls: a dry run looks at what is there now rather than waiting for traffic. */
    private static final Duration WAIT = Duration.ofSeconds(1);

    private DryRun() {
    }

    static void run(ConfigSource.Loaded loaded, String pipeline, int count, Map<String, String> environment,
                    PrintStream out) throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, was " + count);
        }
        ConfigNode definition = PipelineTraffic.definition(loaded, pipeline);
        String type = definition.at("source", "type").text().orElse("");
        if (!type.equals("sqs")) {
            throw new IllegalArgumentException("pipeline " + pipeline + " reads a " + type + " source; a dry run "
                    + "reads sqs sources only");
        }
        for (ConfigNode processor : definition.at("processors").elements()) {
            if (processor.at("type").text().orElse("").equals("dedupe")) {
                // its store would remember the keys it saw, and the real run would then drop those messages
                throw new IllegalArgumentException("pipeline " + pipeline + " has a dedupe processor ("
                        + processor.at("id").text().orElse("dedupe") + "), which records every key it sees; a dry "
                        + "run would make the real run drop those messages, so it is refused");
            }
        }
        List<AutoCloseable> closeAtEnd = new ArrayList<>();
        try {
            Stage<Message, Event> processors = new PipelineAssembler(loaded.catalog(), new Resources(loaded.catalog(),
                    loaded.definitions().root(), environment, new SimpleMeterRegistry(), Clock.systemUTC()))
                    .processors(pipeline, definition, closeAtEnd);
            List<Message> messages = read(loaded, definition.at("source").without("type", "id")
                    .bind(SqsSourceSettings.class), count);
            out.printf("%d message%s read and released (none acknowledged)%n", messages.size(),
                    messages.size() == 1 ? "" : "s");
            for (Message message : messages) {
                out.println(message.coordinates().describe() + "  " + describe(processors.apply(message)));
            }
        } finally {
            for (AutoCloseable c : closeAtEnd.reversed()) {
                c.close();
            }
        }
    }

    /** Up to {@code count} messages, released again before this returns, however it returns. */
    private static List<Message> read(ConfigSource.Loaded loaded, SqsSourceSettings settings, int count)
            throws Exception {
        SqsSourceSettings shortPolls = new SqsSourceSettings(settings.queue(), WAIT, settings.maxMessagesPerPoll(),
                settings.visibilityTimeout(), false);
        List<Message> messages = new ArrayList<>();
        try (SqsSource source = SqsSource.connect(loaded.wired().aws(), shortPolls)) {
            try {
                while (messages.size() < count) {
                    List<Message> polled = source.poll(count - messages.size());
                    if (polled.isEmpty()) {
                        break;
                    }
                    messages.addAll(polled);
                }
            } finally {
                if (!messages.isEmpty()) {
                    source.extendClaim(messages, Duration.ZERO);
                }
            }
        }
        return messages;
    }

    private static String describe(Outcome<Event> outcome) {
        return switch (outcome) {
            case Outcome.Emit<Event> emit -> "record " + record(emit.value());
            case Outcome.Reject<Event> reject -> "rejected: " + reject.reason();
            case Outcome.Drop<Event> drop -> "dropped: " + drop.why();
        };
    }

    private static String record(Event event) {
        ObjectNode json = JSON.createObjectNode();
        event.record().values().forEach((field, value) -> json.set(field, JsonValues.toJson(value)));
        return JSON.writeValueAsString(json);
    }
}
