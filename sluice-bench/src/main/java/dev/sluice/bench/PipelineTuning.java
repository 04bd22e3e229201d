package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.postgres.PostgresSettings;

import java.time.Duration;
import java.net.URI;
import java.util.List;

/**
 * The knobs the benchmark turns on the logins pipeline, passed from the benchmark to its worker JVM as options.
 * Defaults are the engine's defaults ({@link RunnerSettings#DEFAULTS}, {@link PostgresSettings}), so a run without
 * options measures the pipeline as shipped.
 */
record PipelineTuning(int receivers, int writers, int batchSize, int lingerMillis, int maxInFlight, int poolSize) {

    /** The shipped logins definition's queue. */
    static final String QUEUE = "login-queue";

    static PipelineTuning from(Options options) {
        RunnerSettings d = RunnerSettings.DEFAULTS;
        return new PipelineTuning(
                options.intValue("receivers", d.receivers()),
                options.intValue("writers", d.writers()),
                options.intValue("batch-size", d.batchSize()),
                options.intValue("linger-ms", (int) d.linger().toMillis()),
                options.intValue("max-in-flight", d.maxInFlight()),
                options.intValue("pool-size", PostgresSettings.DEFAULT_MAX_POOL_SIZE));
    }

    List<String> toArgs() {
        return List.of("--receivers", Integer.toString(receivers), "--writers", Integer.toString(writers),
                "--batch-size", Integer.toString(batchSize), "--linger-ms", Integer.toString(lingerMillis),
                "--max-in-flight", Integer.toString(maxInFlight), "--pool-size", Integer.toString(poolSize));
    }

    /** The SQS polling both the pipeline and the raw drain use: 10 per receive, 20 s long poll, 30 s visibility. */
    static SqsSourceSettings source() {
        return SqsSourceSettings.of(QUEUE);
    }

    /**
     * The YAML merged over the shipped logins definition: the embedded servers, the pool and the runner knobs; the
     * source, processors and tables stay as shipped.
     */
    String loginsYaml(URI sqsEndpoint, String jdbcUrl) {
        return """
                aws: {region: us-east-1, endpoints: {sqs: "%s"}, accessKeyId: local, secretAccessKey: local}
                postgres: {url: "%s", maxPoolSize: %d}
                pipelines:
                  logins:
                    runner: {receivers: %d, maxInFlight: %d, batchSize: %d, linger: %dms, writers: %d}
                """.formatted(sqsEndpoint, jdbcUrl, poolSize, receivers, maxInFlight, batchSize, lingerMillis,
                writers);
    }

    @Override
    public String toString() {
        return "receivers=" + receivers + " writers=" + writers + " batchSize=" + batchSize + " linger="
                + lingerMillis + "ms maxInFlight=" + maxInFlight + " postgresPool=" + poolSize;
    }
}
