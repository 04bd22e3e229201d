package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** {@code positional... --name value...} command lines, for the benchmark and its worker. */
record Options(List<String> positional, Map<String, String> named) {

    static Options parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                named.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        return new Options(List.copyOf(positional), Map.copyOf(named));
    }

    /**
     * The options of {@code sluice-bench <command> ...}; anything else as the positional arguments prints
     * {@code usage: sluice-bench <command> <usage>} and exits with status 2.
     */
    static Options forCommand(String[] args, String command, String usage) {
        Options options = parse(args);
        if (!options.positional().equals(List.of(command))) {
            System.err.println("usage: sluice-bench " + command + " " + usage
                    + "\n   or: sluice-bench playtime | playtime-api | tracking-archive | tracking-load | lake-writer"
                    + " | lake-kinesis | logins-steps | chaos (see docs/benchmarks.md, docs/reliability.md)");
            System.exit(2);
        }
        return options;
    }

    int intValue(String name, int fallback) {
        String value = named.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'", e);
        }
    }

    /** {@code 30s}, {@code 10m}, {@code 1h}. */
    Duration durationValue(String name, String fallback) {
        String value = named.getOrDefault(name, fallback).strip();
        LongFunction<Duration> unit = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 's' -> Duration::ofSeconds;
            case 'm' -> Duration::ofMinutes;
            case 'h' -> Duration::ofHours;
            default -> null;
        };
        try {
            if (unit != null) {
                return unit.apply(Long.parseLong(value.substring(0, value.length() - 1)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number with s, m or h, was '" + value
                    + "'", e);
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number with s, m or h, was '" + value + "'");
    }

    String value(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }
}
