package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceCommandTest {
    @Test
    void aWrappedFailureShowsItsCauseOnTheSameLine() {
        var e = new IllegalStateException("could not start the sluice stack",
                new NoClassDefFoundError("io/zonky/EmbeddedPostgres\n\tat somewhere"));
        assertThat(SluiceCommand.withCauses(e))
                .isEqualTo("could not start the sluice stack: io/zonky/EmbeddedPostgres");
    }

    @Test
    void aConfigurationErrorIsAlreadyComplete() {
        var e = new ConfigException("s.yaml", 3, 5, "a.b", "expected an integer, got \"x\"",
                new IllegalArgumentException("Cannot deserialize value\n at [Source: …]"));
        assertThat(SluiceCommand.withCauses(e)).isEqualTo(e.getMessage()).doesNotContain("Cannot deserialize");
    }
}
