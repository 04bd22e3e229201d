package dev.sluice.postgres.plugin;

import dev.sluice.core.pipeline.AssembledPipeline;
import dev.sluice.postgres.testing.Sql;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker JVM running a postgres_table pipeline halts between a committed insert and its acknowledgement (as
 * SIGKILL would stop it); the next worker receives those messages again and writes them again: nothing doubles.
 */
class CrashTest {

    /** What the halted worker exits with: the status a SIGKILLed JVM reports. */
    static final int HALT_STATUS = 137;
    private static final int MESSAGES = 500;

    @TempDir
    Path logs;

    @Test
    void aWorkerHaltedBetweenInsertAndAcknowledgementDoublesNothing() throws Exception {
        try (TestDatabase database = TestDatabases.embedded()) {
            String url = database.jdbcUrl();
            Sql.execute(url, "CREATE TABLE inbox (seq bigserial, id text PRIMARY KEY, body text NOT NULL)");
            Sql.execute(url, "INSERT INTO inbox (id, body) SELECT 'm-' || i, '{\"order_id\": \"o-' || i || '\"}'"
                    + " FROM generate_series(1, " + MESSAGES + ") i");

            assertThat(runWorker(url, true)).isEqualTo(HALT_STATUS);
            assertThat(Sql.rows(url, "SELECT count(*)::text FROM orders").getFirst())
                    .as("the halt came after a committed insert").isNotEqualTo("0");
            assertThat(Sql.rows(url, "SELECT count(*)::text FROM inbox")).as("and before any acknowledgement")
                    .containsExactly(String.valueOf(MESSAGES));

            assertThat(runWorker(url, false)).isZero();
            assertThat(Sql.rows(url, "SELECT natural_key FROM orders")).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m-" + i).toList());
            assertThat(Sql.rows(url, "SELECT count(*)::text FROM inbox")).containsExactly("0");
            assertThat(Sql.rows(url, "SELECT count(*)::text FROM orders_errors")).containsExactly("0");
        }
    }

    /** Runs {@link Worker} to its end; a worker that does not end is killed, not left running. */
    private int runWorker(String url, boolean halt) throws Exception {
        Path log = logs.resolve(halt ? "halted.log" : "worker.log");
        Process worker = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(), url, String.valueOf(halt)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(worker.waitFor(120, TimeUnit.SECONDS)).as("the worker ended; log:%n%s", Files.readString(log))
                    .isTrue();
        } finally {
            worker.destroyForcibly();
        }
        return worker.exitValue();
    }

    /** The worker: the pipeline from YAML, run until the inbox is empty (or halted at the first acknowledgement). */
    static final class Worker {
        public static void main(String[] args) throws Exception {
            String yaml = """
                    postgres:
                      url: "%s"
                    pipelines:
                      orders:
                        source: {type: inbox, table: inbox, haltOnFirstAck: %s}
                        processors:
                          - {type: json_fields, fields: {order_id: {type: string, maxLength: 64}}}
                        sink: {type: postgres_table, table: orders, columns: {order_id: order_id}}
                        errors: {type: postgres_errors, table: orders_errors}
                        runner: {batchSize: 50}
                    """.formatted(args[0], args[1]);
            try (Pipelines pipelines = new Pipelines(yaml); AssembledPipeline orders = pipelines.start("orders")) {
                while (!Sql.rows(args[0], "SELECT count(*)::text FROM inbox").getFirst().equals("0")) {
                    Thread.sleep(100);
                }
            }
            System.exit(0);
        }

        private Worker() {
        }
    }
}
