package dev.sluice.cli;

import dev.sluice.core.mask.Keyset;
import dev.sluice.local.EmbeddedSqs;
import dev.sluice.postgres.testing.TestDatabase;
import dev.sluice.postgres.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code sluice run} with a pipeline name it does not know. */
class RunCommandTest {

    @Test
    void anUnknownPipelineFailsBeforeAnythingStartsAndListsTheKnownNames(@TempDir Path dir) throws Exception {
        Path keyset = dir.resolve("keyset.json");
        Keyset.generate().writeTo(keyset);
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); TestDatabase db = TestDatabases.embedded()) {
            String queueUrl = sqs.createQueueWithDeadLetterQueue("login-queue", 5).queueUrl();
            try (var client = sqs.newClient()) {
                client.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"user_id\": \"u1\"}"));
            }
            Path config = TestConfigs.write(dir.resolve("sluice.yaml"), sqs.endpoint(), db.jdbcUrl(), "login-queue",
                    keyset);

            // A known name before the unknown one: logins must not start either.
            Cli.Result result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> Cli.run("run", "--config", config.toString(), "logins", "nope"));

            assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
            assertThat(result.errLines()).as("%s", result)
                    .containsExactly("sluice: unknown pipeline 'nope' (known: logins, playtime, tracking, lake)");
            assertThat(result.out()).as("nothing reports running").isEmpty();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables "
                         + "WHERE table_schema = 'public'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("no pipeline migrated its tables").isZero();
            }
            try (var client = sqs.newClient()) {
                var attributes = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
                assertThat(attributes).as("the waiting message was not received")
                        .containsEntry("ApproximateNumberOfMessages", "1")
                        .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
            }
        }
    }
}
