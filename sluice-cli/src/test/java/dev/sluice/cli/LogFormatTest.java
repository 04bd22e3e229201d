package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFormatTest {
    private static final Map<String, String> NOTHING_SET = Map.of();

    @Test
    void runLogsJsonAndEveryOtherCommandReadableLines() {
        assertThat(LogFormat.choose(List.of("run", "logins"), NOTHING_SET)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.choose(List.of("run", "--config", "run.yaml"), NOTHING_SET)).isEqualTo(LogFormat.JSON);
        for (String command : List.of("demo", "local", "generate", "upload", "check", "keys", "unmask", "help")) {
            assertThat(LogFormat.choose(List.of(command, "run"), NOTHING_SET)).as(command).isEqualTo(LogFormat.TEXT);
        }
        assertThat(LogFormat.choose(List.of("--version"), NOTHING_SET)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.choose(List.of(), NOTHING_SET)).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void theEnvironmentVariableOverridesTheCommandsDefault() {
        assertThat(LogFormat.choose(List.of("run"), Map.of("SLUICE_LOG_FORMAT", "text"))).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.choose(List.of("demo"), Map.of("SLUICE_LOG_FORMAT", " JSON "))).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.choose(List.of("run"), Map.of("SLUICE_LOG_FORMAT", ""))).isEqualTo(LogFormat.JSON);
    }

    @Test
    void anUnknownFormatIsAnErrorNamingTheVariable() {
        assertThatThrownBy(() -> LogFormat.choose(List.of("run"), Map.of("SLUICE_LOG_FORMAT", "xml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SLUICE_LOG_FORMAT must be json or text, not 'xml'");
    }

    @Test
    void theLogbackConfigurationSelectsJsonByTheProperty() throws Exception {
        String config = new String(LogFormatTest.class.getResourceAsStream("/logback.xml").readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(config).contains("<key>" + LogFormat.PROPERTY + "</key>",
                "<value>" + LogFormat.JSON.propertyValue() + "</value>", "LogstashEncoder");
    }
}
