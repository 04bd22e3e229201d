package dev.sluice.pipelines.logins;

import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.aws.sqs.SqsSourceSettings;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.postgres.PostgresDatabase;
import dev.sluice.postgres.PostgresSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM running the logins pipeline, for {@link LoginsCrashTest} to SIGKILL. Arguments: SQS endpoint,
 * queue name, JDBC URL; the keyset comes from {@code SLUICE_KEYSET}. SIGTERM stops it gracefully.
 */
public final class LoginsWorker {
    public static void main(String[] args) throws InterruptedException {
        LoginsSettings settings = new LoginsSettings(
                new SqsSourceSettings(args[1], Duration.ofSeconds(1), 10, Duration.ofSeconds(2)),
                null, null, null, new LoginMasking(MaskMode.HMAC, MaskMode.SIV), LoginsHarness.QUICK);
        PostgresDatabase db = new PostgresDatabase(new PostgresSettings(args[2]));
        Runner<Login> runner = LoginsPipeline.create(settings,
                SqsSource.connect(AwsClientSettings.local(URI.create(args[0]), "us-east-1"), settings.source()),
                db, Keyset.fromEnvironment(), new SimpleMeterRegistry(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.stop();
            db.close();
            stopped.countDown();
        }));
        runner.start();
        System.out.println("worker started");
        stopped.await();
    }
}
