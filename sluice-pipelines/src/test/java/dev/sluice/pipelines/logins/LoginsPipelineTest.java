package dev.sluice.pipelines.logins;

import dev.sluice.core.engine.ForwardingSource;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.json.VersionNumber;
import dev.sluice.core.mask.MaskMode;
import dev.sluice.core.mask.PiiMasker;
import dev.sluice.pipelines.SourceFaults;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The logins pipeline end to end: real embedded SQS, real PostgreSQL (embedded 17 and the machine's 15). */
@OnEachPostgres
class LoginsPipelineTest {
    @Parameter
    TestDatabase database;

    private static String login(String userId, String ip, String deviceId) {
        return "{\"user_id\": \"" + userId + "\", \"app_version\": \"2.3.0\", \"device_type\": \"ios\", \"ip\": \""
                + ip + "\", \"locale\": \"DE\", \"device_id\": \"" + deviceId + "\"}";
    }

    @Test
    void theFixtureGives99RowsAndOneErrorRow() throws Exception {
        List<String> bodies = LoginsHarness.fixtureBodies();
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            h.start();
            h.send(bodies);
            h.awaitHandled(100);

            assertThat(h.rows()).isEqualTo(99);
            assertThat(h.errorRows()).isEqualTo(1);
            assertThat(h.query("SELECT raw_body, reason, queue, receive_count FROM login_errors",
                    rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4))))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get(0)).isEqualTo("{\"foo\": \"oops_wrong_msg_type\", \"bar\": \"123\"}");
                        assertThat((String) row.get(1)).startsWith("user_id: required field is missing");
                        assertThat(row.get(2)).isEqualTo(h.queue);
                        assertThat(row.get(3)).isEqualTo(1);
                    });
            // The first fixture line, checked column by column.
            List<List<Object>> first = h.query("SELECT device_type, masked_ip, masked_device_id, locale, app_version,"
                    + " app_version_text, create_date FROM user_logins WHERE user_id = ?", rs -> List.of(
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                    rs.getString(6), rs.getObject(7, LocalDate.class)), "424cdd21-063a-43a7-b91b-7ca1a833afae");
            assertThat(first).singleElement().satisfies(row -> {
                assertThat(row.get(0)).isEqualTo("android");
                assertThat((String) row.get(1)).startsWith("hm1." + LoginsHarness.KEYS.primaryId() + ".")
                        .doesNotContain("199.172.111.135");
                assertThat((String) row.get(2)).startsWith("sv1.");
                assertThat(new PiiMasker(LoginsHarness.KEYS, MaskMode.SIV).unmask((String) row.get(2)))
                        .isEqualTo("593-47-5928");
                assertThat(row.get(3)).isEqualTo("RU");
                assertThat(row.get(4)).isEqualTo(2_003_000);
                assertThat(row.get(5)).isEqualTo("2.3.0");
                assertThat(row.get(6)).isEqualTo(LocalDate.now(ZoneOffset.UTC));
            });
            assertThat(h.count("SELECT count(*) FROM user_logins WHERE locale IS NULL")).isEqualTo(29);
            assertThat(h.count("SELECT count(DISTINCT source_message_id) FROM user_logins")).isEqualTo(99);
            // Version order survives the encoding: 0.96 sorts after 0.4.6 and before 2.3.0.
            assertThat(h.count("SELECT count(*) FROM user_logins WHERE app_version_text = '0.96' AND app_version = "
                    + VersionNumber.parse("0.96").encode())).isPositive();
        }
    }

    @Test
    void equalPiiGivesEqualTokensAndDifferentPiiDifferentTokens() {
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            h.start();
            h.send(List.of(login("a", "10.1.2.3", "111-11-1111"), login("b", "10.1.2.3", "111-11-1111"),
                    login("c", "10.1.2.4", "111-11-1112"), login("d", "2001:db8::1", "111-11-1111")));
            h.awaitHandled(4);

            List<List<String>> rows = h.query("SELECT user_id, masked_ip, masked_device_id FROM user_logins "
                    + "ORDER BY user_id", rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            assertThat(rows).hasSize(4);
            assertThat(rows.get(0).get(1)).isEqualTo(rows.get(1).get(1));
            assertThat(rows.get(0).get(2)).isEqualTo(rows.get(1).get(2)).isEqualTo(rows.get(3).get(2));
            assertThat(rows.get(2).get(1)).isNotEqualTo(rows.get(0).get(1));
            assertThat(rows.get(2).get(2)).isNotEqualTo(rows.get(0).get(2));
            assertThat(rows.get(3).get(1)).isNotEqualTo(rows.get(0).get(1));
        }
    }

    @Test
    void aCrashAfterTheCommitAndBeforeTheDeleteAddsNoSecondRow() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            bodies.add(login("user-" + i, "10.0.0." + i, "000-00-" + (1000 + i)));
        }
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            // The first acknowledgements are "lost", as if the process died right after the commit.
            AtomicBoolean lostAcks = new AtomicBoolean(true);
            Runner<Event> runner = h.start(SourceFaults.acknowledgementsLostWhile(lostAcks::get));
            h.send(bodies);
            org.awaitility.Awaitility.await().until(() -> h.rows() == 50);
            lostAcks.set(false);
            h.awaitHandled(50);

            assertThat(runner.metrics().receivedCount()).as("the lost acks made SQS redeliver").isGreaterThan(50);
            assertThat(h.rows()).isEqualTo(50);
            assertThat(h.count("SELECT count(DISTINCT user_id) FROM user_logins")).isEqualTo(50);
        }
    }

    @Test
    void aClaimThatExpiresBeforeTheDeleteAddsNoSecondRow() {
        try (LoginsHarness h = new LoginsHarness(database.settings())) {
            // No heartbeat and a sink slower than the 2 s visibility: SQS hands the message to the other writer
            // while the first is still writing it.
            Runner<Event> runner = h.start(source -> new ForwardingSource(source) {
                @Override
                public void extendClaim(List<Message> messages, Duration extension) throws Exception {
                    if (extension.isZero()) {
                        super.extendClaim(messages, extension);
                    }
                }
            });
            // Sequences are not transactional, so only the very first insert statement sleeps.
            h.execute("CREATE SEQUENCE insert_calls");
            h.execute("CREATE FUNCTION slow_first_insert() RETURNS trigger AS $$ BEGIN "
                    + "IF nextval('insert_calls') = 1 THEN PERFORM pg_sleep(4); END IF; RETURN NEW; END $$ "
                    + "LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER slow BEFORE INSERT ON user_logins FOR EACH STATEMENT "
                    + "EXECUTE FUNCTION slow_first_insert()");
            h.send(List.of(login("only", "10.9.9.9", "999-99-9999")));
            h.awaitHandled(1);

            assertThat(runner.metrics().receivedCount()).as("the message was delivered twice").isGreaterThan(1);
            assertThat(h.rows()).isEqualTo(1);
            h.execute("DROP FUNCTION slow_first_insert() CASCADE");
            h.execute("DROP SEQUENCE insert_calls");
        }
    }

    @Test
    void tableNamesComeFromTheSettings() {
        try (LoginsHarness h = new LoginsHarness(database.settings(), "logins_eu", "logins_eu_rejects")) {
            h.start();
            h.send(List.of(login("eu", "10.0.0.1", "123-45-6789"), "not json"));
            h.awaitHandled(2);

            assertThat(h.count("SELECT count(*) FROM logins_eu")).isEqualTo(1);
            assertThat(h.count("SELECT count(*) FROM logins_eu_rejects")).isEqualTo(1);
        }
    }
}
