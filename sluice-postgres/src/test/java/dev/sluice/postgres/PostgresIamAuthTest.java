package dev.sluice.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.config.SystemProperties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code postgres.auth: iam}: the rules of the configuration, and a fresh token from the generator for every new
 * connection, signed for the URL's host, port and user. The generator here is a recording stand-in; the SDK's
 * (RdsUtilities, signed locally) is exercised by {@link #theSdkSignsATokenForTheHostLocally}.
 */
class PostgresIamAuthTest {
    /** The machine's PostgreSQL has no TLS: a login fails after the token was asked for, which is what is checked. */
    private static final String IAM_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=sluice_iam&sslmode=require";

    /** Hands out token-1, token-2, … and records what each was for. */
    static final class RecordingTokens implements IamAuthTokens {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public String token(String host, int port, String user) {
            calls.add(host + ":" + port + ":" + user);
            return "token-" + calls.size();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void everyNewConnectionGetsAFreshTokenForTheUrlsHostPortAndUser() throws Exception {
        RecordingTokens tokens = new RecordingTokens();
        // Every pool (sinks, jobs, migrations) is built by the same method: the sinks' one stands for all.
        PostgresSettings settings = iam(IAM_URL).withConnectTimeout(Duration.ofMillis(250));
        try (PostgresDatabase db = new PostgresDatabase(settings, tokens)) {
            HikariDataSource pool = (HikariDataSource) db.dataSource();
            // What the pool asks for each connection it opens.
            Credentials first = pool.getCredentialsProvider().getCredentials();
            Credentials second = pool.getCredentialsProvider().getCredentials();
            assertThat(first.getUsername()).isEqualTo("sluice_iam");
            assertThat(first.getPassword()).startsWith("token-");
            assertThat(second.getPassword()).isNotEqualTo(first.getPassword());

            // And the pool does ask, with the driver then refusing a server without TLS: nothing logged in clear.
            SQLException refused = catchThrowableOfType(SQLException.class, () -> {
                try (Connection ignored = pool.getConnection()) {
                    throw new AssertionError("a server without TLS accepted sslmode=require");
                }
            });
            assertThat((Throwable) refused).hasMessageNotContaining("token-");
            assertThat(tokens.calls).hasSizeGreaterThan(2).containsOnly("127.0.0.1:5432:sluice_iam");
        }
        assertThat(tokens.closed).as("closed with the database").hasValue(1);
    }

    @Test
    void theSdkSignsATokenForTheHostLocally() {
        String host = "analytics.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com";
        assertThat(RdsIamAuthTokens.regionInHostName(host)).contains(Region.EU_WEST_1);
        assertThat(RdsIamAuthTokens.regionInHostName("db.internal")).isEmpty();
        try (var credentials = SystemProperties.set(Map.of(
                "aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "example-secret"));
             RdsIamAuthTokens tokens = RdsIamAuthTokens.forHost(host)) {
            String token = tokens.token(host, 5432, "sluice_iam");
            // A presigned connect request for that endpoint and user: the password RDS checks.
            assertThat(token).startsWith(host + ":5432/?")
                    .contains("Action=connect", "DBUser=sluice_iam", "X-Amz-Credential=AKIDEXAMPLE%2F",
                            "%2Feu-west-1%2Frds-db%2Faws4_request", "X-Amz-Expires=900", "X-Amz-Signature=")
                    .doesNotContain("example-secret");
        }
    }

    @Test
    void iamIsReadFromTheConfiguration() {
        PostgresSettings settings = new ConfigLoader(Map.of()).load("sluice.yaml",
                "{url: \"" + IAM_URL + "\", auth: iam}", PostgresSettings.class);

        assertThat(settings.auth()).isEqualTo(PostgresSettings.Auth.IAM);
        assertThat(settings.iamLogin()).isEqualTo(new PostgresSettings.IamLogin("127.0.0.1", 5432, "sluice_iam"));
        assertThat(new PostgresSettings(IAM_URL).auth()).as("the default").isEqualTo(PostgresSettings.Auth.PASSWORD);
    }

    @Test
    void aPasswordBesideIamIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> iam(IAM_URL).withCredentials(null, "hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("postgres.password must not be set with postgres.auth: iam")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> iam(IAM_URL + "&password=hunter2"))
                .hasMessageStartingWith("postgres.url must not carry a password with postgres.auth: iam")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> iam("jdbc:postgresql://sluice_iam:hunter2@db:5432/x?sslmode=require"))
                .hasMessageStartingWith("postgres.url must not carry a password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void iamWithoutTlsIsRefused() {
        for (String url : List.of("jdbc:postgresql://db:5432/x?user=u", "jdbc:postgresql://db:5432/x?user=u&sslmode=prefer",
                "jdbc:postgresql://db:5432/x?user=u&sslmode=disable")) {
            assertThatThrownBy(() -> iam(url)).as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("postgres.url must ask for TLS with postgres.auth: iam: add sslmode=require");
        }
        for (String url : List.of("jdbc:postgresql://db/x?user=u&sslmode=verify-full", "jdbc:postgresql://db/x?user=u&ssl=true")) {
            assertThat(iam(url).iamLogin()).as(url).isEqualTo(new PostgresSettings.IamLogin("db", 5432, "u"));
        }
    }

    @Test
    void iamNeedsOneHostAndAUser() {
        assertThatThrownBy(() -> iam("jdbc:postgresql://a:5432,b:5432/x?user=u&sslmode=require"))
                .hasMessageStartingWith("postgres.url must name exactly one host with postgres.auth: iam");
        assertThatThrownBy(() -> iam("jdbc:postgresql://db:5432/x?sslmode=require"))
                .hasMessageStartingWith("postgres.auth: iam needs the database user the token is for");
        assertThat(new PostgresSettings("jdbc:postgresql://db:6543/x?sslmode=require", "app", null, null, null, null,
                null, null, null, null, PostgresSettings.Auth.IAM).iamLogin())
                .isEqualTo(new PostgresSettings.IamLogin("db", 6543, "app"));
    }

    private static PostgresSettings iam(String url) {
        return new PostgresSettings(url, null, null, null, null, null, null, null, null, null,
                PostgresSettings.Auth.IAM);
    }
}
