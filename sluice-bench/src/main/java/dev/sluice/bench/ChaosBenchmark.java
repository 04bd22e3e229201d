package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The chaos benchmark (docs/reliability.md): one pipeline, or all four at once in one worker JVM, under their
 * generators while the worker is SIGKILLed and SIGTERMed and every service it uses is taken away; then every sink
 * is checked against what the generators sent. Prints a table and appends it, with the machine, the seed and the
 * commit, to docs/reliability.md.
 *
 * <p>Usage: {@code chaos logins|playtime|tracking|lake|all [--duration 10m] [--seed N] [--kills 20] [--terms 5]
 * [--outage 30s] [--quiet 25s] [--outages all|none|postgres,redis,s3,queue,stream] [--half-open yes|no]
 * [--rate 100] [--heap 256m] [--append docs/reliability.md|none]}.
 */
public final class ChaosBenchmark {
    static final String NAME = "chaos";
    static final List<String> PIPELINES = List.of("logins", "playtime", "tracking", "lake");
    private static final String USAGE = "logins|playtime|tracking|lake|all [--duration 10m] [--seed N] [--kills 20] "
            + "[--terms 5] [--outage 30s] [--quiet 25s] [--outages all|none|postgres,redis,s3,queue,stream] "
            + "[--half-open yes|no] [--rate 100] [--heap 256m] [--append docs/reliability.md|none]";

    /** What a chaos run is asked to do, from its options. */
    record Settings(String pipelines, long seed, Duration duration, int kills, int terms, Duration outage,
                    Duration quiet, String outages, boolean halfOpen, int rate, String heap, String append) {

        static Settings from(Options options) {
            if (options.positional().size() != 2 || !(PIPELINES.contains(options.positional().get(1))
                    || options.positional().get(1).equals("all"))) {
                System.err.println("usage: sluice-bench " + NAME + " " + USAGE);
                System.exit(2);
            }
            return new Settings(options.positional().get(1),
                    Long.parseLong(options.value("seed", Long.toString(System.currentTimeMillis()))),
                    options.durationValue("duration", "10m"), options.intValue("kills", 20), options.intValue("terms", 5),
                    options.durationValue("outage", "30s"), options.durationValue("quiet", "25s"),
                    options.value("outages", "all"), options.value("half-open", "yes").equals("yes"),
                    options.intValue("rate", 100), options.value("heap", "256m"),
                    options.value("append", "docs/reliability.md"));
        }

        /** The command line that repeats this run. */
        String command() {
            return "chaos " + pipelines + " --duration " + duration.toSeconds() + "s --seed " + seed + " --kills "
                    + kills + " --terms " + terms + " --outage " + outage.toSeconds() + "s --quiet "
                    + quiet.toSeconds() + "s --outages " + outages + " --half-open " + (halfOpen ? "yes" : "no")
                    + " --rate " + rate + " --heap " + heap;
        }

        List<ChaosTarget> targets() {
            List<String> names = pipelines.equals("all") ? PIPELINES : List.of(pipelines);
            return names.stream().map(name -> target(name, seed)).toList();
        }

        List<ChaosStack.Service> outageServices(List<ChaosTarget> targets) {
            List<ChaosStack.Service> used = ChaosStack.services(targets);
            return switch (outages) {
                case "all" -> used;
                case "none" -> List.of();
                default -> Arrays.stream(outages.split(",")).map(s -> ChaosStack.Service.valueOf(
                        s.strip().toUpperCase(Locale.ROOT))).peek(s -> {
                            if (!used.contains(s)) {
                                throw new IllegalArgumentException("--outages: " + pipelines + " does not use " + s.label);
                            }
                        }).toList();
            };
        }
    }

    private ChaosBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(Options.parse(args));
        ChaosRun.Result result = run(settings);
        String report = report(settings, result);
        System.out.println(report);
        Path append = Path.of(settings.append());
        if (settings.append().equals("none")) {
            return;
        }
        if (Files.isRegularFile(append)) {
            Files.writeString(append, "\n" + report, StandardOpenOption.APPEND);
            System.out.println("appended to " + append);
        } else {
            System.out.println("not appended: " + append.toAbsolutePath() + " does not exist (run from the project root)");
        }
    }

    /** Runs the chaos the settings ask for on a new embedded stack in a temporary directory. */
    static ChaosRun.Result run(Settings settings) throws Exception {
        List<ChaosTarget> targets = settings.targets();
        ChaosPlan plan = ChaosPlan.draw(settings.seed(), settings.duration(), settings.kills(), settings.terms(),
                settings.outageServices(targets), settings.halfOpen() ? ChaosStack.halfOpenService(targets) : null,
                settings.outage(), settings.quiet());
        Path directory = Files.createTempDirectory("sluice-chaos-");
        System.out.println("# chaos " + settings.pipelines() + ", seed " + settings.seed() + ", in " + directory);
        try (ChaosStack stack = ChaosStack.start(directory, targets)) {
            return new ChaosRun(stack, targets, plan, settings.heap(), settings.rate()).run();
        }
    }

    /** The markdown section docs/reliability.md gets: when, where, what, the table and the notes. */
    static String report(Settings settings, ChaosRun.Result result) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC))).append(": ").append(settings.pipelines()).append(", ")
                .append(settings.duration().toSeconds()).append(" s, seed ").append(settings.seed()).append("\n\n");
        out.append("Commit ").append(commit()).append("; load average at the end ").append(MachineFacts.loadAverage())
                .append(".\n\n```\n").append(MachineFacts.describe()).append("\n```\n\n");
        out.append("`java -jar sluice-bench/target/sluice-bench.jar ").append(settings.command()).append("`\n\n");
        out.append("| pipeline | kills | SIGTERMs (longest stop) | outages: length → sinks moving again | sent "
                + "(duplicates / malformed) | stored | **lost** | **doubled** | rejects (of malformed) | wrong | "
                + "peak heap MB (sampled / pools) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        String outages = result.outages().isEmpty() ? "none" : null;
        for (Map.Entry<String, ChaosVerdict> entry : result.verdicts().entrySet()) {
            ChaosVerdict v = entry.getValue();
            String pipeline = entry.getKey();
            String own = outages != null ? outages : result.outages().stream()
                    .filter(o -> affects(settings, pipeline, o))
                    .map(o -> (o.kind() == ChaosPlan.Kind.HALF_OPEN ? "half-open " : "") + o.service().label + " "
                            + o.length().toSeconds() + " s → " + seconds(o.recovery().get(pipeline)))
                    .collect(Collectors.joining("; "));
            out.append("| ").append(pipeline).append(" | ").append(result.kills()).append(" | ")
                    .append(result.terms()).append(" (").append(seconds(result.longestStop())).append(") | ")
                    .append(own).append(" | ").append(v.sent()).append(" (").append(v.duplicates()).append(" / ")
                    .append(v.malformed()).append(") | ").append(v.stored()).append(" | **").append(v.lost())
                    .append("** | **").append(v.doubled()).append("** | ").append(v.rejects()).append(" of ")
                    .append(v.malformed()).append(" | ").append(v.wrong()).append(" | ").append(result.heapSampledMb())
                    .append(" / ").append(result.heapPoolsMb()).append(" |\n");
        }
        List<String> notes = new ArrayList<>(result.notes());
        result.verdicts().forEach((pipeline, v) -> v.notes().forEach(n -> notes.add(pipeline + ": " + n)));
        if (result.unexpectedExits() > 0) {
            notes.add(result.unexpectedExits() + " worker exits nobody asked for");
        }
        if (!notes.isEmpty()) {
            out.append("\n");
            notes.forEach(n -> out.append("- ").append(n).append("\n"));
        }
        return out.toString();
    }

    private static boolean affects(Settings settings, String pipeline, ChaosRun.Outage outage) {
        return target(pipeline, settings.seed()).services().contains(outage.service());
    }

    private static String seconds(Duration d) {
        return d == null ? "not within " + ChaosRun.RECOVERY_LIMIT.toMinutes() + " min"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static ChaosTarget target(String name, long seed) {
        return switch (name) {
            case "logins" -> new LoginsChaos(seed);
            case "playtime" -> new PlaytimeChaos(seed);
            case "tracking" -> new TrackingChaos(seed);
            case "lake" -> new LakeChaos(seed);
            default -> throw new IllegalArgumentException("no chaos run for pipeline " + name);
        };
    }

    /** The commit the jar runs on, as git in the working directory sees it, "+ changes" when the tree is dirty. */
    private static String commit() {
        try {
            String head = output("git", "rev-parse", "--short", "HEAD");
            boolean dirty = !output("git", "status", "--porcelain", "--untracked-files=no").isBlank();
            return head + (dirty ? " (with uncommitted changes)" : "");
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(git.getInputStream().readAllBytes()).strip();
        if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + text);
        }
        return text;
    }
}
