package dev.sluice.server;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokenTest {

    private static final String SET = "s3cr3t-t0ken-from-env";

    @Test
    void takesTheTokenFromTheEnvironment() {
        ApiToken token = ApiToken.fromEnvironment(Map.of("SLUICE_API_TOKEN", SET));

        assertThat(token.generated()).isFalse();
        assertThat(token.value()).isEqualTo(SET);
        assertThat(token.matches(SET)).isTrue();
        assertThat(token.matches(SET + "x")).isFalse();
        assertThat(token.matches(SET.substring(1))).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void generatesOneWhenTheVariableIsUnsetOrEmpty() {
        ApiToken unset = ApiToken.fromEnvironment(Map.of());
        ApiToken empty = ApiToken.fromEnvironment(Map.of("SLUICE_API_TOKEN", ""));

        assertThat(unset.generated()).isTrue();
        assertThat(empty.generated()).isTrue();
        // 32 random bytes, base64url without padding.
        assertThat(unset.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(unset.value()).isNotEqualTo(empty.value());
        assertThat(unset.matches(unset.value())).isTrue();
    }

    @Test
    void aShortTokenIsRefusedNamingTheVariableAndTheRuleButNotTheValue() {
        String shortToken = "fifteen-chars!!";

        assertThatThrownBy(() -> ApiToken.fromEnvironment(Map.of("SLUICE_API_TOKEN", shortToken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLUICE_API_TOKEN")
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining(shortToken);
    }

    @Test
    void aTokenWithWhitespaceIsRefusedWithoutEchoingIt() {
        String spaced = "sixteen chars or more";

        assertThatThrownBy(() -> ApiToken.of(spaced))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLUICE_API_TOKEN")
                .hasMessageContaining("whitespace")
                .hasMessageNotContaining(spaced);
    }

    @Test
    void toStringNeverShowsTheToken() {
        ApiToken fromEnvironment = ApiToken.of(SET);
        ApiToken generated = ApiToken.generate();

        assertThat(fromEnvironment.toString()).doesNotContain(SET).contains("***");
        assertThat(generated.toString()).doesNotContain(generated.value()).contains("generated");
    }
}
