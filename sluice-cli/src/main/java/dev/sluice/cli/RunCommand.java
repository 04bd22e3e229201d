package dev.sluice.cli;

import dev.sluice.pipelines.SluiceConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.sluice.server.ApiServer;
import dev.sluice.server.ApiToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluice run [--config F] PIPELINE…}: runs pipelines against real endpoints until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run pipelines until SIGTERM/Ctrl-C. Endpoints come from --config, or without one from the "
                + "environment (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3, AWS_REGION, SLUICE_POSTGRES_URL, SLUICE_REDIS_URL, "
                + "SLUICE_KEYSET_FILE, ...). Serves the API with the token from SLUICE_API_TOKEN (or a generated one). "
                + "Logs one JSON object per line on stderr (SLUICE_LOG_FORMAT=text: readable lines).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "sluice.yaml (default: built-in, from the environment)")
    Path config;

    @Mixin
    ReadApi api;

    @Option(names = "--dry-run", description = "read up to --count messages of one pipeline's queue without "
            + "acknowledging them (released at once) and print what each would become; nothing is written")
    boolean dryRun;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10",
            description = "with --dry-run: messages to read at most (default: ${DEFAULT-VALUE})")
    int count;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PIPELINE", description = "pipelines to run: ${COMPLETION-CANDIDATES} or any your file defines (default: all but lake,"
                    + " which runs only when named)",
            completionCandidates = PipelineNames.class)
    List<String> pipelines;

    @Override
    public Integer call() throws Exception {
        if (dryRun && (pipelines == null || pipelines.size() != 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--dry-run takes exactly one pipeline: sluice run --dry-run PIPELINE [--count N]");
        }
        ConfigSource.Loaded loaded = ConfigSource.read(config, System.getenv());
        if (dryRun) {
            DryRun.run(loaded, pipelines.getFirst(), count, System.getenv(), System.out);
            return 0;
        }
        ApiToken token = ApiToken.fromEnvironment(System.getenv());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> names = pipelines == null || pipelines.isEmpty() ? loaded.startedByDefault() : pipelines;
        ShutdownSignal signal = ShutdownSignal.install(
                loaded.longestStopTimeout().plus(ShutdownSignal.CLOSING_TIME));
        try (RunningPipelines running = RunningPipelines.start(loaded, names, System.getenv(), registry);
             ApiServer server = api.start(running, registry, token)) {
            System.out.println("running " + String.join(", ", names) + " (Ctrl-C or SIGTERM stops); API, /health, "
                    + "/ready and /metrics at " + server.url());
            System.out.println("dashboard at " + server.url() + "/");
            System.out.println(ReadApi.describe(token));
            signal.await();
            server.close();
            running.close();
            running.summary().forEach(System.out::println);
        } finally {
            signal.cleanedUp();
        }
        return 0;
    }

    /** The shipped definitions' names, from their resources ({@code sluice/pipelines/lake.yaml} → lake). */
    static final class PipelineNames extends java.util.ArrayList<String> {
        PipelineNames() {
            super(dev.sluice.core.plugin.Catalog.load().definitions().stream()
                    .map(resource -> resource.substring(resource.lastIndexOf('/') + 1, resource.lastIndexOf('.')))
                    .toList());
        }
    }
}
