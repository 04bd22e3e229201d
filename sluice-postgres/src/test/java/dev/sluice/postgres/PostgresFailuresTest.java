package dev.sluice.postgres;

import dev.sluice.core.engine.DestinationRejectedException;
import dev.sluice.core.engine.PermanentFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresFailuresTest {

    static final SqlIdentifier TABLE = SqlIdentifier.table("user_logins");
    /** What a server message may quote: it must never reach a reason. */
    static final String VALUE = "user-4711@example.com";

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "08P01", "40001", "40P01", "53000", "53100",
            "53200", "53300", "55P03", "57014", "57P01", "57P02", "57P03", "XX000", "58030"})
    void connectionLossContentionTimeoutsAndUnknownStatesAreTransient(String state) throws Exception {
        SQLException failure = new SQLException("failed near '" + VALUE + "'", state);

        assertThat(PostgresFailures.kind(failure)).isEqualTo(PostgresFailures.Kind.TRANSIENT);
        assertThat((Object) PostgresFailures.classify(failure, TABLE)).isSameAs(failure);
        assertThat(PostgresFailures.reason(failure, TABLE)).contains("user_logins", state).doesNotContain(VALUE);
    }

    @Test
    void aFailureWithoutSqlStateIsTransient() throws Exception {
        SQLException failure = new SQLTransientConnectionException("pool timed out");

        assertThat((Object) PostgresFailures.classify(failure, TABLE)).isSameAs(failure);
        assertThat(PostgresFailures.reason(failure, TABLE)).contains("no SQLState");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42501", "42P01", "42703", "42601", "3D000", "28000", "28P01"})
    void privilegeMissingObjectsAndAuthenticationArePermanentWithAValueFreeReason(String state) {
        SQLException failure = new SQLException("permission denied for '" + VALUE + "'", state);

        assertThat(PostgresFailures.kind(failure)).isEqualTo(PostgresFailures.Kind.PERMANENT);
        assertThatThrownBy(() -> PostgresFailures.classify(failure, TABLE))
                .isInstanceOf(PermanentFailureException.class)
                .hasMessageStartingWith("table user_logins: ")
                .hasMessageEndingWith("(SQLState " + state + ")")
                .hasMessageNotContaining(VALUE)
                .hasNoCause();
    }

    @Test
    void permanentReasonsNameTheCondition() {
        assertThat(PostgresFailures.reason(new SQLException("x", "42501"), TABLE))
                .isEqualTo("table user_logins: permission denied (insufficient privilege) (SQLState 42501)");
        assertThat(PostgresFailures.reason(new SQLException("x", "42P01"), TABLE))
                .isEqualTo("table user_logins: table does not exist (SQLState 42P01)");
        assertThat(PostgresFailures.reason(new SQLException("x", "28P01"), TABLE))
                .isEqualTo("table user_logins: authentication failed (SQLState 28P01)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"22001", "22P02", "22021", "23502", "23505", "23514"})
    void refusalsOfTheDataAreRejections(String state) {
        SQLException failure = new SQLException("invalid input: \"" + VALUE + "\"", state);

        assertThat(PostgresFailures.kind(failure)).isEqualTo(PostgresFailures.Kind.REJECTED);
        assertThatThrownBy(() -> PostgresFailures.classify(failure, TABLE))
                .isInstanceOf(DestinationRejectedException.class)
                .hasMessageContaining("table user_logins refused the row")
                .hasMessageNotContaining(VALUE);
    }
}
