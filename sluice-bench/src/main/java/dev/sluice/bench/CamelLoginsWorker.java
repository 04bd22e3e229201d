package dev.sluice.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.core.mask.Keyset;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Camel peer ({@link CamelLoginsRoute}) in its own JVM, started by {@link WorkerProcess} with the heap the Sluice
 * worker gets. Same line protocol as {@link LoginsWorker} for the drain: prints {@code started <epoch-ms>} just before
 * the route starts consuming; end of input stops the route and prints {@code heap … deleted=N} before exiting.
 *
 * <p>Usage: {@code CamelLoginsWorker <sqs-endpoint> <jdbc-url> <queue> [--pool-size 4] [Tuning options]}, with
 * the keyset in {@code SLUICE_KEYSET}.
 */
public final class CamelLoginsWorker {
    /** Graceful stop: in-flight batches finish; what is still being aggregated is dropped and comes back. */
    private static final long SHUTDOWN_SECONDS = 10;

    private CamelLoginsWorker() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String keyset = System.getenv(Keyset.ENV_KEYSET);
        if (keyset == null) {
            throw new IllegalStateException(Keyset.ENV_KEYSET + " must hold the keyset the benchmark masks with");
        }
        AtomicLong sampledPeak = HeapWatch.sampleHeapUsed();
        try (Running camel = start(URI.create(options.positional().get(0)), options.positional().get(1),
                options.positional().get(2), CamelLoginsRoute.Tuning.from(options),
                options.intValue("pool-size", 4), Keyset.parse(keyset, Keyset.ENV_KEYSET), true)) {
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (commands.readLine() != null) {
                // the benchmark sends nothing; end of input means stop
            }
            camel.context().stop();
            System.out.println("heap " + HeapWatch.heapReport(sampledPeak.get()) + " deleted=" + camel.route().deleted());
            System.out.flush();
        }
    }

    /** A started route and what it owns, closed together (the route first). */
    record Running(CamelContext context, CamelLoginsRoute route, SqsClient sqs, HikariDataSource dataSource)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                context.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the Camel context", e);
            } finally {
                sqs.close();
                dataSource.close();
            }
        }
    }

    /**
     * Creates {@link CamelLoginsRoute#TABLE} if missing, then starts the route; {@code announce} prints
     * {@code started <epoch-ms>} just before it starts consuming.
     */
    static Running start(URI sqsEndpoint, String jdbcUrl, String queue, CamelLoginsRoute.Tuning tuning, int poolSize,
                         Keyset keyset, boolean announce) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("camel-logins");
        pool.addDataSourceProperty("reWriteBatchedInserts", Boolean.toString(tuning.rewriteBatchedInserts()));
        HikariDataSource dataSource = new HikariDataSource(pool);
        SqsClient sqs = SqsClients.create(AwsClientSettings.local(sqsEndpoint, "us-east-1"));
        CamelLoginsRoute route = new CamelLoginsRoute(queue, tuning, keyset);
        DefaultCamelContext context = new DefaultCamelContext();
        Running running = new Running(context, route, sqs, dataSource);
        try {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute(CamelLoginsRoute.CREATE_TABLE);
            }
            context.getRegistry().bind(CamelLoginsRoute.SQS_BEAN, sqs);
            context.getRegistry().bind(CamelLoginsRoute.DATA_SOURCE_BEAN, dataSource);
            context.getShutdownStrategy().setTimeout(SHUTDOWN_SECONDS);
            context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            context.addRoutes(route);
            if (announce) {
                System.out.println("started " + System.currentTimeMillis());
                System.out.flush();
            }
            context.start();
            return running;
        } catch (SQLException | RuntimeException e) {
            running.close();
            throw e;
        }
    }
}
