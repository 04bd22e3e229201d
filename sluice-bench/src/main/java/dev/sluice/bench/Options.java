package dev.sluice.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
                    + " | lake-kinesis (see docs/benchmarks.md)");
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

    String value(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }
}
