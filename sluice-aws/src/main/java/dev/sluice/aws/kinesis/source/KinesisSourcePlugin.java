package dev.sluice.aws.kinesis.source;

import dev.sluice.aws.AwsResources;
import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.core.checkpoint.CheckpointStore;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.Plugin.SourcePart;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The {@code kinesis} source: one event per record, the record's data as the body, checkpoints kept in the
 * checkpoint store service that {@code checkpoints} names (the Postgres module offers {@code postgres}). Building it
 * loads the checkpoints, lists the shards and starts reading; {@code GET /ready} asks for the stream's summary under
 * {@code kinesis:NAME}.
 *
 * <pre>{@code
 * source: {type: kinesis, stream: product-events, startPosition: latest, checkpoints: postgres}
 * }</pre>
 */
public final class KinesisSourcePlugin {

    public static final Plugin<KinesisSourceSettings, SourcePart> PLUGIN = Plugin.source("kinesis",
            KinesisSourceSettings.class, "reads a Kinesis stream, every shard, with checkpoints in a named store",
            (settings, context) -> {
                CheckpointStore checkpoints = context.service(CheckpointStore.class, settings.checkpoints(),
                        "checkpoints");
                // Registered before the source, so it is closed after the source stopped reading with it.
                KinesisClient client = context.closeAtEnd(KinesisClients.create(context.section(AwsResources.SECTION)));
                KinesisSource source;
                try {
                    source = context.closeAtEnd(KinesisSource.builder(settings).client(client)
                            .checkpoints(checkpoints).build());
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(context.path().keyPath() + ": " + e.getMessage(), e);
                }
                context.readiness("kinesis:" + settings.stream(),
                        () -> client.describeStreamSummary(r -> r.streamName(settings.stream())));
                return SourcePart.of(source);
            });

    private KinesisSourcePlugin() {
    }
}
