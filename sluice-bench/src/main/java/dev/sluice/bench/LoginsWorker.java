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
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
        AtomicLong sampledPeak = sampleHeapUsed();

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
            say("heap " + heapReport(sampledPeak.get()) + " written=" + (long) runner.metrics().writtenCount()
                    + " rejected=" + (long) runner.metrics().rejectedCount());
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Samples used heap every 20 ms on a daemon thread: a lower bound of the true peak. */
    private static AtomicLong sampleHeapUsed() {
        AtomicLong peak = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (true) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return peak;
    }

    /**
     * {@code max_mb} is -Xmx as the JVM sees it; {@code sampled_peak_mb} the largest sampled used heap;
     * {@code pool_peaks_mb} the sum of each heap pool's own peak (an upper bound: the pools peak at different
     * times); {@code gc_*} the collectors' counts and total pause-or-cycle times.
     */
    private static String heapReport(long sampledPeak) {
        long poolPeaks = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeaks += pool.getPeakUsage().getUsed();
            }
        }
        StringBuilder gc = new StringBuilder();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc.append(" gc[").append(collector.getName().replace(' ', '_')).append("]=")
                    .append(collector.getCollectionCount()).append('/').append(collector.getCollectionTime())
                    .append("ms");
        }
        return "max_mb=" + mb(Runtime.getRuntime().maxMemory()) + " sampled_peak_mb=" + mb(sampledPeak)
                + " pool_peaks_mb=" + mb(poolPeaks) + gc;
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
