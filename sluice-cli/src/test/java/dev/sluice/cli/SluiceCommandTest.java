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

    @Test
    void anUnknownCommandIsAUsageErrorNamingItAndTheClosestCommands() {
        Cli.Result result = Cli.run("chek");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).as("no help on stdout").isEmpty();
        assertThat(result.errLines()).as("%s", result).hasSize(1);
        assertThat(result.errLines().getFirst()).startsWith("sluice: unknown command 'chek' (closest: check")
                .endsWith("; see 'sluice --help'");
    }

    @Test
    void aCommandThisVersionLacksIsNotMistakenForHelp() {
        Cli.Result result = Cli.run("frobnicate", "--now");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).as("%s", result).hasSize(1);
        assertThat(result.errLines().getFirst()).startsWith("sluice: unknown command 'frobnicate'");
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingTheCommandAndTheClosestOption() {
        Cli.Result result = Cli.run("check", "--confg", "x.yaml");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).as("%s", result).hasSize(1);
        assertThat(result.errLines().getFirst())
                .startsWith("sluice: unknown option '--confg' for 'sluice check'")
                .contains("--config");
    }
}
