package dev.sluice.aws.sqs;

import dev.sluice.aws.AwsResources;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SourcePart;
import dev.sluice.core.plugin.PluginContext;

/**
 * The {@code sqs} source: one event per message, the body as is, for a parser to read. The queue is resolved (and
 * its redrive policy checked when {@code requireDeadLetterQueue}) before the pipeline starts; {@code GET /ready}
 * asks the queue for its depth under {@code sqs:NAME}.
 *
 * <pre>{@code
 * source: {type: sqs, queue: orders, visibilityTimeout: 60s, requireDeadLetterQueue: true}
 * }</pre>
 */
public final class SqsSourcePlugin {

    public static final Plugin<SqsSourceSettings, SourcePart> PLUGIN = Plugin.source("sqs", SqsSourceSettings.class,
            "reads an SQS queue: one event per message, deleted once written",
            (settings, context) -> SourcePart.of(connect(settings, context)));

    private SqsSourcePlugin() {
    }

    /**
     * Connects to the queue with a client of its own made from the {@code aws:} section, registers its readiness
     * probe, and closes it with the pipeline.
     *
     * @throws IllegalStateException naming the part's key path when SQS cannot be reached or the queue lacks a
     *                               required dead-letter queue
     */
    public static SqsSource connect(SqsSourceSettings settings, PluginContext context) {
        SqsSource source;
        try {
            source = SqsSource.connect(context.section(AwsResources.SECTION), settings);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(context.path().keyPath() + ": " + e.getMessage(), e);
        }
        context.closeAtEnd(source);
        context.readiness("sqs:" + source.name(), source::approximateDepth);
        return source;
    }
}
