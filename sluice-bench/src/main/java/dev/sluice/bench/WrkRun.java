package dev.sluice.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second opinion from {@code wrk} (a C load generator, closed loop), when it is on the {@code PATH}: the JDK
 * clients of {@link HttpLoad} share the CPU and the JVM (and its GC) with the server, wrk costs far less, so the
 * difference shows how much of the latency is the clients'. Its percentiles come from its own histogram.
 */
final class WrkRun {

    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|90|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern MAX = Pattern.compile("^\\s*Latency\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)\\s.*$");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern ERRORS = Pattern.compile("^\\s*Non-2xx or 3xx responses:\\s+(\\d+)\\s*$");

    /** Requests/s and latencies in ms as wrk reports them. */
    record Result(double perSecond, double p50, double p90, double p99, double max, long errors) {
    }

    private WrkRun() {
    }

    /** {@code wrk} on the {@code PATH}, if it is there. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path wrk = Path.of(dir, "wrk");
            if (Files.isExecutable(wrk)) {
                return Optional.of(wrk);
            }
        }
        return Optional.empty();
    }

    /** {@code wrk -t2 -c<connections> -d<seconds>s --latency} with the bearer header, against {@code url}. */
    static Result run(Path wrk, String url, String authorization, int connections, Duration duration)
            throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(wrk.toString(), "-t2", "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency", "-H", "Authorization: " + authorization, url));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + wrk, e);
        }
    }

    static Result parse(String output) {
        Map<String, Double> percentiles = new HashMap<>();
        double perSecond = Double.NaN;
        double max = Double.NaN;
        long errors = 0;
        for (String line : output.split("\n")) {
            Matcher m;
            if ((m = PERCENTILE.matcher(line)).matches()) {
                percentiles.put(m.group(1), millis(m.group(2), m.group(3)));
            } else if ((m = MAX.matcher(line)).matches()) {
                max = millis(m.group(1), m.group(2));
            } else if ((m = RATE.matcher(line)).matches()) {
                perSecond = Double.parseDouble(m.group(1));
            } else if ((m = ERRORS.matcher(line)).matches()) {
                errors = Long.parseLong(m.group(1));
            }
        }
        if (Double.isNaN(perSecond) || percentiles.size() < 3) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        return new Result(perSecond, percentiles.get("50"), percentiles.get("90"), percentiles.get("99"), max,
                errors);
    }

    private static double millis(String amount, String unit) {
        double value = Double.parseDouble(amount);
        return switch (unit) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
