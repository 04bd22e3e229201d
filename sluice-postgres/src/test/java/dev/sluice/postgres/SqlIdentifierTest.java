package dev.sluice.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlIdentifierTest {

    @Test
    void plainAndQualifiedTablesAreQuotedForSql() {
        assertThat(SqlIdentifier.table("user_logins").sql()).isEqualTo("\"user_logins\"");
        assertThat(SqlIdentifier.table("audit.user_logins").sql()).isEqualTo("\"audit\".\"user_logins\"");
        assertThat(SqlIdentifier.column("user").sql()).isEqualTo("\"user\"");
        assertThat(SqlIdentifier.table("audit.user_logins")).hasToString("audit.user_logins");
    }

    @Test
    void longestNameIs63Characters() {
        String longest = "a".repeat(63);
        assertThat(SqlIdentifier.column(longest).name()).isEqualTo(longest);
        assertThatThrownBy(() -> SqlIdentifier.column(longest + "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(longest + "a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "User", "1st", "a-b", "a b", "x\"; DROP TABLE x; --", "naïve", "a.b"})
    void columnsOutsideTheRuleAreRefusedByName(String bad) {
        assertThatThrownBy(() -> SqlIdentifier.column(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column name '" + bad + "'")
                .hasMessageContaining(SqlIdentifier.RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b.c", ".t", "s.", "S.t", "s.T", "s;.t"})
    void tablesOutsideTheRuleAreRefusedByName(String bad) {
        assertThatThrownBy(() -> SqlIdentifier.table(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table name '" + bad + "'");
    }
}
