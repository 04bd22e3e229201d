package dev.sluice.pipelines.examples;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.pipelines.DefinedPipelines;
import dev.sluice.pipelines.SqsPipelineHarness;
import dev.sluice.postgres.testing.TestDatabase;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The user's example file docs/examples/orders.yaml, read from the repository as it is, run on a real embedded SQS
 * queue (fresh per harness, created bare as the file's header tells a user to) and a real Postgres database. The
 * environment is what {@code sluice local} writes (endpoint, credentials, {@code SLUICE_POSTGRES_URL}, the
 * keyset), which the file reads; the only YAML merged over it names the fresh queue and shortens the timings.
 */
final class OrdersHarness extends SqsPipelineHarness {
    static final EmbeddedSqs SQS = EmbeddedSqs.start();
    static final Keyset KEYS = Keyset.generate();
    static final Path EXAMPLE = Path.of(System.getProperty("sluice.root"), "docs", "examples", "orders.yaml");

    /** The process environment the pipeline runs with. */
    final Map<String, String> environment = new HashMap<>(SQS.environment());
    /**
     * Merged over the example: the fresh queue, a 2 s claim so a lost acknowledgement comes back within seconds,
     * quick retries; credentials because the in-process SQS client cannot see the environment's.
     */
    final String overrides;

    OrdersHarness(TestDatabase database) {
        this(database, "orders-" + UUID.randomUUID());
    }

    private OrdersHarness(TestDatabase database, String queue) {
        super("orders", queue, SQS.newClient(), createQueue(queue),
                "orders", "orders_errors", database::connect);
        environment.put("SLUICE_POSTGRES_URL", database.jdbcUrl());
        environment.put(Keyset.ENV_KEYSET, KEYS.toJson());
        this.overrides = """
                aws: {accessKeyId: "%s", secretAccessKey: "%s"}
                pipelines:
                  orders:
                    source: {queue: %s, waitTime: 1s, visibilityTimeout: 2s}
                    runner: {receivers: 2, maxInFlight: 200, linger: 10ms, writers: 2,
                             backoff: {initial: 50ms, max: 500ms}, stopTimeout: 5s}
                """.formatted(environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"), queue);
        define(DefinedPipelines.of(environment, example(), overrides));
    }

    /** A bare queue, as {@code aws sqs create-queue --queue-name NAME} makes it. */
    private static String createQueue(String name) {
        try (SqsClient client = SQS.newClient()) {
            return client.createQueue(b -> b.queueName(name)).queueUrl();
        }
    }

    static String example() {
        try {
            return Files.readString(EXAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
