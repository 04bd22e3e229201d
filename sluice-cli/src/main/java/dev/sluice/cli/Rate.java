package dev.sluice.cli;

import picocli.CommandLine;

/** A send rate given as {@code 500/s}, {@code 500} or {@code 1800/m}; converted to messages per second. */
record Rate(double perSecond) {
    Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be positive, was " + perSecond);
        }
    }

    static final class Converter implements CommandLine.ITypeConverter<Rate> {
        @Override
        public Rate convert(String text) {
            String t = text.strip().toLowerCase(java.util.Locale.ROOT);
            double divisor = 1;
            if (t.endsWith("/s")) {
                t = t.substring(0, t.length() - 2);
            } else if (t.endsWith("/m")) {
                t = t.substring(0, t.length() - 2);
                divisor = 60;
            } else if (t.endsWith("/h")) {
                t = t.substring(0, t.length() - 2);
                divisor = 3600;
            }
            try {
                return new Rate(Double.parseDouble(t) / divisor);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a rate like 500/s, 1800/m");
            }
        }
    }
}
