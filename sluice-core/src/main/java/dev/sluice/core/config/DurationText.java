package dev.sluice.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config: {@code 500ms}, {@code 20s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO
 * 8601 ({@code PT20S}). One number and one unit; negative durations are refused.
 */
public final class DurationText {

    /** What a bad duration is told it should look like. */
    public static final String EXPECTED = "a duration like 20s or 500ms";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private DurationText() {
    }

    /** The duration {@code text} stands for, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            try {
                return Optional.of(switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                Duration duration = Duration.parse(text);
                return duration.isNegative() ? Optional.empty() : Optional.of(duration);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
