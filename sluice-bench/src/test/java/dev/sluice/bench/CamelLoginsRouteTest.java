package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.aws.AwsClientSettings;
import dev.sluice.aws.sqs.SqsBatchSender;
import dev.sluice.aws.sqs.SqsClients;
import dev.sluice.aws.sqs.SqsSource;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.local.EmbeddedStack;
import dev.sluice.pipelines.logins.LoginGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The benchmark's Camel peer is only a fair comparison if it is as safe as Sluice: on the embedded stack, the route
 * is stopped in the middle of a drain (no message may be gone from the queue without its row), started again (the
 * redelivered messages must not add rows twice), and its end state checked: one row per message, masked with
 * Sluice's masker and the same keyset.
 */
class CamelLoginsRouteTest {
    private static final int MESSAGES = 3_000;
    private static final Duration WAIT = Duration.ofMinutes(3);
    /** Short, so what the stopped route had claimed comes back within the test. */
    private static final CamelLoginsRoute.Tuning TUNING = new CamelLoginsRoute.Tuning(2, 10, 100, 20, 3, true);

    @TempDir
    Path base;

    @Test
    void deletesOnlyCommittedRowsAndEndsWithOneMaskedRowPerMessageAcrossAStop() throws Exception {
        Keyset keyset = Keyset.generate();
        try (EmbeddedStack stack = EmbeddedStack.builder().baseDirectory(base).queue(PipelineTuning.QUEUE, 5).start();
             SqsClient sqs = SqsClients.create(AwsClientSettings.local(stack.sqs().endpoint(), "us-east-1"))) {
            String jdbcUrl = stack.postgres().jdbcUrl();
            // user_logins, whose shape camel_logins copies, as the shipped definition's migrations create it
            LoginsWorker.build(stack.sqs().endpoint(), jdbcUrl, PipelineTuning.from(Options.parse(new String[0])),
                    keyset.toJson(), UnaryOperator.identity()).close();
            String queueUrl = sqs.getQueueUrl(b -> b.queueName(PipelineTuning.QUEUE)).queueUrl();
            LoginGenerator generator = new LoginGenerator(5, 0, 0);
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                bodies.add(generator.next());
            }
            SqsBatchSender.send(sqs, queueUrl, bodies);

            long deletedBeforeStop;
            try (CamelLoginsWorker.Running camel = CamelLoginsWorker.start(stack.sqs().endpoint(), jdbcUrl,
                    PipelineTuning.QUEUE, TUNING, 2, keyset, false)) {
                await(() -> camel.route().deleted() >= MESSAGES / 4);
                camel.context().stop();
                deletedBeforeStop = camel.route().deleted();
            }
            long onQueue = SqsSource.approximateDepth(sqs, queueUrl);
            long gone = MESSAGES - onQueue;
            assertThat(onQueue).as("stopped mid-run: messages left on the queue").isPositive();
            assertThat(gone).as("messages gone from the queue").isEqualTo(deletedBeforeStop);
            assertThat(rows(jdbcUrl, "SELECT count(*) FROM " + CamelLoginsRoute.TABLE))
                    .as("every message gone from the queue has its row").isGreaterThanOrEqualTo(gone);

            try (CamelLoginsWorker.Running camel = CamelLoginsWorker.start(stack.sqs().endpoint(), jdbcUrl,
                    PipelineTuning.QUEUE, TUNING, 2, keyset, false)) {
                await(() -> SqsSource.approximateDepth(sqs, queueUrl) == 0);
            }
            assertThat(rows(jdbcUrl, "SELECT count(*) FROM " + CamelLoginsRoute.TABLE)).isEqualTo(MESSAGES);
            assertThat(rows(jdbcUrl, "SELECT count(DISTINCT source_message_id) FROM " + CamelLoginsRoute.TABLE))
                    .isEqualTo(MESSAGES);
            assertThat(tokens(jdbcUrl)).containsExactlyInAnyOrderElementsOf(expectedTokens(bodies, keyset));
        }
    }

    /** Polls until {@code condition} holds; fails after {@link #WAIT} (a bound on a hang, not a timing check). */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within " + WAIT).isLessThan(deadline);
            LoginsBenchmark.pause();
        }
    }

    private static long rows(String jdbcUrl, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> tokens(String jdbcUrl) throws SQLException {
        List<String> tokens = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT user_id, masked_ip, masked_device_id, app_version_text FROM "
                     + CamelLoginsRoute.TABLE)) {
            while (rs.next()) {
                tokens.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return tokens;
    }

    private static List<String> expectedTokens(List<String> bodies, Keyset keyset) throws Exception {
        PiiMasker masker = new PiiMasker(keyset, MaskMode.HMAC);
        ObjectMapper json = new ObjectMapper();
        List<String> tokens = new ArrayList<>();
        for (String body : bodies) {
            Map<?, ?> login = json.readValue(body, Map.class);
            tokens.add(login.get("user_id") + " " + masker.mask((String) login.get("ip")) + " "
                    + masker.mask((String) login.get("device_id")) + " " + login.get("app_version"));
        }
        return tokens;
    }
}
