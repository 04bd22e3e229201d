package dev.sluice.aws;

import dev.sluice.aws.kinesis.source.KinesisSourcePlugin;
import dev.sluice.aws.s3.S3NotificationsPlugin;
import dev.sluice.aws.s3.S3ObjectFetcher;
import dev.sluice.aws.s3.S3ObjectStores;
import dev.sluice.aws.sqs.SqsSourcePlugin;
import dev.sluice.core.files.ObjectFetcher;
import dev.sluice.core.files.ObjectStores;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Service;
import dev.sluice.core.plugin.SharedResource;
import java.util.List;

/**
 * The AWS module's part of the catalog: the {@code aws:} section, the sqs, kinesis and s3_notifications sources, and
 * the {@code s3} object store of the {@code files} sink and the {@code s3} object fetcher of {@code parquet_totals}.
 */
public final class AwsPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(SqsSourcePlugin.PLUGIN, KinesisSourcePlugin.PLUGIN, S3NotificationsPlugin.PLUGIN);
    }

    @Override
    public List<Service<?>> services() {
        return List.of(new Service<>(ObjectStores.class, "s3", new SharedResource<>("s3 object store",
                context -> new S3ObjectStores(context.shared(AwsResources.S3)))),
                new Service<>(ObjectFetcher.class, "s3", new SharedResource<>("s3 object fetcher",
                        context -> new S3ObjectFetcher(context.shared(AwsResources.S3)))));
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(AwsResources.SECTION);
    }
}
