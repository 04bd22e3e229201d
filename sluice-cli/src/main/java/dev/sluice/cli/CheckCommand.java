package dev.sluice.cli;

import dev.sluice.aws.kinesis.KinesisClients;
import dev.sluice.aws.s3.S3Clients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.plugin.ReadinessProbe;
import dev.sluice.core.plugin.Resources;
import dev.sluice.pipelines.SluiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import dev.sluice.pipelines.lake.LakePipeline;
import dev.sluice.pipelines.lake.LakeSettings;
import dev.sluice.postgres.PostgresDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sluice check [PIPELINE…]}: validates the configuration, then reaches every endpoint it names (of the named
 * pipelines only, when some are named), one line each, so a deployment problem shows before {@code run}. The
 * offline check, with every error at once, is {@code sluice lint}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration and connect to each endpoint, one line each (of the PIPELINEs"
                + " named, else of all); sluice lint checks files offline.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml (default: built-in, from the environment)")
    Path config;

    @Parameters(paramLabel = "PIPELINE", arity = "0..*", description = "check only these pipelines (default: all)")
    List<String> names = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private int failures;

    @Override
    public Integer call() {
        ConfigSource.Loaded all = ConfigSource.read(config, System.getenv());
        for (String name : names) {
            if (!all.known().contains(name)) {
                throw new IllegalArgumentException("unknown pipeline '" + name + "' (known: "
                        + String.join(", ", all.known()) + ")");
            }
        }
        List<String> checked = names.isEmpty() ? all.known() : names;
        SluiceConfig loaded = all.wired();
        report(true, "config", config != null ? config.toString() : "built-in " + ConfigSource.BUILT_IN);
        check("keys", () -> {
            Keyset keys = loaded.keys().load(System.getenv());
            return loaded.keys().describe() + " (" + keys.keys().size() + " keys, primary " + keys.primaryId() + ")";
        });
        check("postgres", () -> {
            try (PostgresDatabase db = new PostgresDatabase(loaded.postgres())) {
                db.checkConnection();
            }
            return loaded.postgres().redactedUrl() + " reachable";
        });
        for (String name : all.definitions().names()) {
            if (checked.contains(name)) {
                check("pipeline", () -> checkDefinition(all, name));
            }
        }
        if (!checked.contains(LakePipeline.NAME)) {
            return failures == 0 ? 0 : 1;
        }
        LakeSettings lake = loaded.pipelines().lake();
        if (lake.source() == LakeSettings.SourceKind.SQS) {
            checkQueue(loaded, LakePipeline.NAME, lake.queue());
        } else {
            checkStream(loaded, lake.kinesis().stream());
        }
        checkBucket(loaded, LakePipeline.NAME, lake.bucket());
        return failures == 0 ? 0 : 1;
    }

    /**
     * Builds a defined pipeline as {@code run} would, without starting it, then runs every readiness probe its parts
     * registered (its queue or stream, its database). Building creates the tables a first run would create.
     */
    private static String checkDefinition(ConfigSource.Loaded all, String name) throws Exception {
        try (Resources resources = new Resources(all.catalog(), all.definitions().root(), System.getenv(),
                new SimpleMeterRegistry(), Clock.systemUTC());
             AssembledPipeline pipeline = new PipelineAssembler(all.catalog(), resources)
                     .assemble(name, all.definitions().definition(name))) {
            for (Map.Entry<String, ReadinessProbe> probe : resources.probes().entrySet()) {
                try {
                    probe.getValue().check();
                } catch (Exception e) {
                    throw new IllegalStateException(name + ": " + probe.getKey() + " not ready ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")", e);
                }
            }
            return name + " built; " + String.join(", ", resources.probes().keySet()) + " ready"
                    + (pipeline.jobs().isEmpty() ? "" : "; " + pipeline.jobs().size() + " jobs");
        }
    }

    /** HeadBucket needs s3:ListBucket, which the tracking loader and the lake's query and compaction need anyway. */
    private void checkBucket(SluiceConfig loaded, String pipeline, String bucket) {
        check("s3", () -> {
            try (S3Client s3 = S3Clients.create(loaded.aws())) {
                s3.headBucket(r -> r.bucket(bucket));
            }
            return pipeline + " bucket " + bucket + " reachable";
        });
    }

    private void checkStream(SluiceConfig loaded, String stream) {
        check("kinesis", () -> {
            try (KinesisClient kinesis = KinesisClients.create(loaded.aws())) {
                StreamDescriptionSummary summary = kinesis.describeStreamSummary(r -> r.streamName(stream))
                        .streamDescriptionSummary();
                return LakePipeline.NAME + " stream " + stream + " " + summary.streamStatusAsString() + " ("
                        + summary.openShardCount() + " open shards)";
            }
        });
    }

    private void checkQueue(SluiceConfig loaded, String pipeline, SqsSourceSettings queue) {
        check("sqs", () -> {
            try (SqsSource source = SqsSource.connect(loaded.aws(), queue)) {
                return pipeline + " queue " + source.name() + " at " + source.queueUrl() + " ("
                        + source.approximateDepth() + " messages)";
            }
        });
    }

    private interface Probe {
        String run() throws Exception;
    }

    private void check(String what, Probe probe) {
        try {
            report(true, what, probe.run());
        } catch (Exception e) {
            report(false, what, e.getMessage());
        }
    }

    private void report(boolean ok, String what, String detail) {
        if (!ok) {
            failures++;
        }
        spec.commandLine().getOut().printf("%-5s %-9s %s%n", ok ? "ok" : "FAIL", what, detail);
    }
}
