package dev.sluice.core.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTest {
    @Test
    void rejectReasonsLoseControlCharactersSoTheyFitEveryErrorTableAndLogLine() {
        Outcome.Reject<Object> reject = new Outcome.Reject<>("a\u0000b: the keys a\nb and c\r both flatten");
        assertThat(reject.reason()).isEqualTo("a?b: the keys a?b and c? both flatten");
    }

    @Test
    void rejectReasonsAreCutToABoundedLength() {
        String reason = new Outcome.Reject<>("x".repeat(5_000)).reason();
        assertThat(reason).hasSize(Outcome.Reject.MAX_REASON_CHARS + 1).endsWith("x…");
    }

    @Test
    void ordinaryReasonsStayAsTheyAre() {
        assertThat(new Outcome.Reject<>("ip: not an IPv4 or IPv6 address").reason())
                .isEqualTo("ip: not an IPv4 or IPv6 address");
    }
}
