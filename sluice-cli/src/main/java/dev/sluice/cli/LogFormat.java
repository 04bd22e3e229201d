package dev.sluice.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How Sluice writes its log lines on stderr: {@link #JSON}, one object per line (logstash layout: timestamp,
 * level, logger, thread, message, and fields such as {@code pipeline} and {@code source}), under {@code run}, where
 * a log shipper reads them; {@link #TEXT}, readable lines, under every other command. {@value #ENVIRONMENT_VARIABLE}
 * ({@code json} or {@code text}) overrides the command's default.
 *
 * <p>Logback configures itself once, when the first logger is created, so {@link SluiceCommand#main} settles the
 * format before anything else runs and hands it to {@code logback.xml} as the system property {@value #PROPERTY};
 * the configuration picks the JSON appender when it is {@code json} and the readable one otherwise.
 */
enum LogFormat {
    JSON,
    TEXT;

    static final String ENVIRONMENT_VARIABLE = "SLUICE_LOG_FORMAT";
    static final String PROPERTY = "sluice.log.format";
    /** The commands whose output is read by machines rather than people. */
    private static final List<String> JSON_COMMANDS = List.of("run");

    /**
     * The format for {@code sluice ARGS} under {@code environment}.
     *
     * @throws IllegalArgumentException when {@value #ENVIRONMENT_VARIABLE} is set to something else than json or text
     */
    static LogFormat choose(List<String> args, Map<String, String> environment) {
        String asked = environment.get(ENVIRONMENT_VARIABLE);
        if (asked != null && !asked.isBlank()) {
            return switch (asked.strip().toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "text" -> TEXT;
                default -> throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be json or text, not '"
                        + asked + "'");
            };
        }
        // `sluice` takes no option with a value, so the first argument that is not an option names the command.
        String command = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
        return JSON_COMMANDS.contains(command) ? JSON : TEXT;
    }

    /** The value of {@value #PROPERTY} that selects this format in {@code logback.xml}. */
    String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
