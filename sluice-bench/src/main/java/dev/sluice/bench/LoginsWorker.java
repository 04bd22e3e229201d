package dev.sluice.bench;

import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.Source;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The pipeline under test, in its own JVM (started by {@link WorkerProcess} with {@code -Xmx256m}): the logins
 * pipeline as shipped (its definition, built by the catalog as {@code sluice run logins} builds it), on the given SQS
 * endpoint and JDBC URL, with the runner knobs of {@link PipelineTuning}.
 *
 * <p>Usage: {@code LoginsWorker <sqs-endpoint> <jdbc-url> [PipelineTuning options]}. Talks over stdin/stdout, one
 * line each: prints {@code started <epoch-ms>} when the runner starts consuming; {@code measure} on stdin forgets
 * recorded latencies (answers {@code measuring}); {@code report} answers {@code latency count=… p50_ms=…
 * p99_ms=… max_ms=…}; end of input stops the runner gracefully and prints {@code heap …} before exiting.
 */
public final class LoginsWorker {

    private LoginsWorker() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        URI sqsEndpoint = URI.create(options.positional().get(0));
        String jdbcUrl = options.positional().get(1);
        PipelineTuning tuning = PipelineTuning.from(options);
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();
        AtomicReference<LatencyRecordingSource> recording = new AtomicReference<>();
        String keyset = System.getenv(Keyset.ENV_KEYSET);
        if (keyset == null) {
            throw new IllegalStateException(Keyset.ENV_KEYSET + " must hold the keyset the benchmark masks with");
        }
        try (Built built = build(sqsEndpoint, jdbcUrl, tuning, keyset, source -> {
            recording.set(new LatencyRecordingSource(source));
            return recording.get();
        })) {
            AssembledPipeline logins = built.logins();
            Resources resources = built.resources();
            LatencyRecordingSource source = recording.get();
            Runner<Event> runner = logins.runner();
            long started = System.currentTimeMillis();
            logins.start(resources.registry(), Clock.systemUTC());
            say("started " + started);

            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                switch (line.strip()) {
                    case "measure" -> {
                        source.reset();
                        say("measuring");
                    }
                    case "report" -> say("latency " + source.report());
                    default -> System.err.println("worker: unknown command '" + line + "'");
                }
            }
            runner.stop();
            say("heap " + HeapWatch.heapReport(sampledPeak.get())
                    + " written=" + (long) runner.metrics().writtenCount() + " rejected=" + (long) runner.metrics().rejectedCount());
        }
    }

    /** The shipped logins definition and what it shares, closed together (the pipeline first). */
    record Built(Resources resources, AssembledPipeline logins) implements AutoCloseable {
        @Override
        public void close() {
            logins.close();
            resources.close();
        }
    }

    /**
     * Builds the shipped logins definition on the embedded servers with {@code tuning}'s knobs (its migrations run
     * here); {@code keysetJson} masks (the benchmark gives the Camel peer the same one, so their tokens compare).
     */
    static Built build(URI sqsEndpoint, String jdbcUrl, PipelineTuning tuning, String keysetJson,
                       UnaryOperator<Source> sources) {
        Map<String, String> environment = Map.of(Keyset.ENV_KEYSET, keysetJson);
        ConfigLoader loader = new ConfigLoader(environment);
        Catalog catalog = Catalog.load();
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, loader,
                Optional.of(loader.read("bench.yaml", tuning.loginsYaml(sqsEndpoint, jdbcUrl))));
        Resources resources = new Resources(catalog, definitions.root(), environment, new SimpleMeterRegistry(),
                Clock.systemUTC());
        try {
            return new Built(resources, new PipelineAssembler(catalog, resources).decoratingSources(sources)
                    .assemble("logins", definitions.definition("logins")));
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
