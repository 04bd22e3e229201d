package dev.sluice.postgres.warehouse;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextTest {

    @Test
    void separatorsEscapesAndNullsAreWrittenInCopyTextForm() {
        StringBuilder out = new StringBuilder();

        int refused = CopyText.appendRow(out, Arrays.asList("a\tb", null, "line\nbreak\r", "back\\slash", "\\N", ""));

        assertThat(refused).isEqualTo(-1);
        assertThat(out.toString()).isEqualTo("a\\tb\t\\N\tline\\nbreak\\r\tback\\\\slash\t\\\\N\t\n");
    }

    @Test
    void aValueWithANulIsNotAppendedAndItsColumnIsReturned() {
        StringBuilder out = new StringBuilder("earlier row\n");

        int refused = CopyText.appendRow(out, Arrays.asList("fine", "nul\0inside"));

        assertThat(refused).isEqualTo(1);
        assertThat(out.toString()).isEqualTo("earlier row\n");
    }
}
