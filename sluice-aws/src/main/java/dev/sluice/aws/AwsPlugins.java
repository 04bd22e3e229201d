package dev.sluice.aws;

import dev.sluice.aws.kinesis.source.KinesisSourcePlugin;
import dev.sluice.aws.s3.S3NotificationsPlugin;
import dev.sluice.aws.sqs.SqsSourcePlugin;
import dev.sluice.core.plugin.ConfigSection;
import dev.sluice.core.plugin.Plugin;
import dev.sluice.core.plugin.PluginProvider;
import java.util.List;

/** The AWS module's part of the catalog: the {@code aws:} section and the sqs, kinesis and s3_notifications sources. */
public final class AwsPlugins implements PluginProvider {

    @Override
    public List<Plugin<?, ?>> plugins() {
        return List.of(SqsSourcePlugin.PLUGIN, KinesisSourcePlugin.PLUGIN, S3NotificationsPlugin.PLUGIN);
    }

    @Override
    public List<ConfigSection<?>> sections() {
        return List.of(AwsResources.SECTION);
    }
}
