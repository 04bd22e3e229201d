package dev.sluice.aws.s3;

import dev.sluice.aws.AwsPlugins;
import dev.sluice.aws.plugin.AwsTestPlugins;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.PluginProvider;
import dev.sluice.core.plugin.Resources;
import dev.sluice.core.process.CorePlugins;
import dev.sluice.local.LocalAwsAccount;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the {@code files} sink's S3 tests share: a pipeline from YAML with the core, AWS and AWS test plugins, the
 * {@code aws:} section for the embedded servers, and the objects of a bucket read back.
 */
final class FilesPipelines {

    private FilesPipelines() {
    }

    /** The {@code aws:} section (5 lines) for the embedded SQS and S3 at these endpoints. */
    static String aws(Object sqsEndpoint, Object s3Endpoint) {
        return """
                aws:
                  region: us-east-1
                  endpoints: {sqs: "%s", s3: "%s"}
                  accessKeyId: %s
                  secretAccessKey: %s
                """.formatted(sqsEndpoint, s3Endpoint, LocalAwsAccount.ACCESS_KEY_ID,
                LocalAwsAccount.SECRET_ACCESS_KEY);
    }

    /** Pipeline {@code name} of {@code yaml}, started; closing it closes the pipeline, then the shared resources. */
    static AutoCloseable start(String yaml, String name, PluginProvider... more) {
        List<PluginProvider> providers = new ArrayList<>(List.of(new CorePlugins(), new AwsPlugins(),
                new AwsTestPlugins()));
        providers.addAll(List.of(more));
        Catalog catalog = Catalog.of(providers);
        ConfigLoader loader = new ConfigLoader(Map.of());
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader,
                Optional.of(loader.read("user.yaml", yaml)));
        Resources resources = new Resources(catalog, definitions.root(), Map.of(), new SimpleMeterRegistry(),
                Clock.systemUTC());
        AssembledPipeline pipeline = new PipelineAssembler(catalog, resources).assemble(name,
                definitions.definition(name));
        pipeline.start(resources.registry(), resources.clock());
        return () -> {
            pipeline.close();
            resources.close();
        };
    }

    static List<String> keys(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** The lines of the gzip object at {@code bucket}/{@code key}. */
    static List<String> lines(S3Client s3, String bucket, String key) throws IOException {
        try (InputStream in = new GZIPInputStream(s3.getObject(r -> r.bucket(bucket).key(key)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
