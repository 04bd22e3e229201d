package dev.sluice.bench;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.Keyset;
import dev.sluice.pipelines.logins.Login;
import dev.sluice.pipelines.logins.LoginsPipeline;
import dev.sluice.pipelines.logins.LoginsSettings;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline under test, in its own JVM (started by {@link WorkerProcess} with {@code -Xmx256m}): the logins
 * pipeline exactly as {@link LoginsPipeline#create} builds it, on the given SQS endpoint and JDBC URL.
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
        LoginsSettings settings = tuning.loginsSettings();
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();

        try (PostgresDatabase db = new PostgresDatabase(new PostgresSettings(jdbcUrl).withMaxPoolSize(tuning.poolSize()))) {
            LatencyRecordingSource source = new LatencyRecordingSource(
                    SqsSource.connect(AwsClientSettings.local(sqsEndpoint, "us-east-1"), settings.source()));
            Runner<Login> runner = LoginsPipeline.create(settings, source, db, Keyset.generate(),
                    new SimpleMeterRegistry(), Clock.systemUTC());
            long started = System.currentTimeMillis();
            runner.start();
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

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
