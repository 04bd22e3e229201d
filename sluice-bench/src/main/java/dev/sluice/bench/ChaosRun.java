package dev.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One chaos run: the worker JVM ({@link ChaosWorker}: {@code sluice run} of the targets' pipelines) under their
 * generators, while the {@link ChaosPlan} kills it, stops it, takes services away and cuts a connection half-open;
 * then the drain (generators stopped, the worker left to finish), a graceful stop, and each target's check.
 *
 * <p>Every wait is bounded: a worker that does not stop after SIGTERM is killed after {@link #TERM_LIMIT}, a
 * pipeline that does not recover after an outage is reported as such after {@link #RECOVERY_LIMIT}, the drain
 * ends after {@link #DRAIN_LIMIT} whatever the sinks say.
 */
final class ChaosRun {
    static final Duration TERM_LIMIT = Duration.ofSeconds(60);
    static final Duration START_LIMIT = Duration.ofSeconds(180);
    static final Duration RECOVERY_LIMIT = Duration.ofMinutes(5);
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
    /** Sinks unchanged this long, with every queue empty, is drained (longer than the files' age limits). */
    static final Duration SETTLED = Duration.ofSeconds(25);
    private static final Duration POLL = Duration.ofMillis(200);

    /** An outage or cut as it happened, and per pipeline the time from its end until its sink count moved. */
    record Outage(ChaosPlan.Kind kind, ChaosStack.Service service, Duration length, Map<String, Duration> recovery) {
    }

    /** What happened to the worker and the stack, and each pipeline's verdict. */
    record Result(int kills, int terms, Duration longestStop, List<Outage> outages, int unexpectedExits,
                  long heapSampledMb, long heapPoolsMb, Map<String, ChaosVerdict> verdicts, List<String> notes) {
    }

    private final ChaosStack stack;
    private final List<ChaosTarget> targets;
    private final ChaosPlan plan;
    private final String heap;
    private final int rate;
    private final Path config;
    private final Path log;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private Process worker;
    /** Where the current life's output starts in worker.log. */
    private long lifeStartsAt;
    private int lives;
    private int unexpectedExits;
    /** How far behind the plan the faults are: the time workers took to start beyond the plan's gaps. */
    private Duration lag = Duration.ZERO;
    private long started;

    ChaosRun(ChaosStack stack, List<ChaosTarget> targets, ChaosPlan plan, String heap, int rate) {
        this.stack = stack;
        this.targets = targets;
        this.plan = plan;
        this.heap = heap;
        this.rate = rate;
        this.config = stack.directory().resolve("sluice.yaml");
        this.log = stack.directory().resolve("worker.log");
    }

    Result run() throws Exception {
        writeConfig();
        started = System.nanoTime();
        startWorker();
        targets.forEach(t -> t.startSending(stack, t.perSecond(rate)));
        int kills = 0;
        int terms = 0;
        Duration longestStop = Duration.ZERO;
        List<Outage> outages = new ArrayList<>();
        List<Thread> watchers = new ArrayList<>();
        for (ChaosPlan.Fault fault : plan.faults()) {
            superviseUntil(fault.at().plus(lag));
            if (fault.kind() == ChaosPlan.Kind.KILL || fault.kind() == ChaosPlan.Kind.TERM) {
                awaitRunning();
            }
            // A slow start or stop delays every later fault alike, so the plan's gaps stay as drawn.
            lag = max(lag, Duration.ofNanos(System.nanoTime() - started).minus(fault.at()));
            say("%s %s%s", elapsed(), fault.kind(), fault.service() == null ? "" : " " + fault.service().label);
            switch (fault.kind()) {
                case KILL -> {
                    kill();
                    kills++;
                    startWorker();
                }
                case TERM -> {
                    Duration stop = terminate();
                    longestStop = max(longestStop, stop);
                    terms++;
                    startWorker();
                }
                case OUTAGE, HALF_OPEN -> {
                    long from = System.nanoTime();
                    ChaosStack.OnOff onOff = stack.fault(fault.kind(), fault.service());
                    onOff.off().run();
                    superviseUntil(fault.at().plus(lag).plus(fault.length()));
                    onOff.on().run();
                    Outage outage = new Outage(fault.kind(), fault.service(),
                            Duration.ofNanos(System.nanoTime() - from), Collections.synchronizedMap(new LinkedHashMap<>()));
                    outages.add(outage);
                    targets.stream().filter(t -> t.services().contains(fault.service()))
                            .forEach(t -> watchers.add(watchRecovery(t, outage)));
                }
            }
            lag = max(lag, Duration.ofNanos(System.nanoTime() - started).minus(fault.at()).minus(fault.length()));
        }
        superviseUntil(plan.length().plus(lag));
        for (ChaosTarget target : targets) {
            target.stopSending();
        }
        say("%s generators stopped; draining", elapsed());
        drain();
        Duration finalStop = terminate();
        say("%s worker stopped (SIGTERM, %d ms)", elapsed(), finalStop.toMillis());
        for (Thread watcher : watchers) {
            watcher.join(RECOVERY_LIMIT);
        }
        Map<String, ChaosVerdict> verdicts = new LinkedHashMap<>();
        for (ChaosTarget target : targets) {
            verdicts.put(target.name(), target.verify(stack));
            if (target.failedSends() > 0) {
                notes.add(target.name() + ": " + target.failedSends() + " generator sends failed during outages "
                        + "(not in the ledger; sent again as new inputs)");
            }
        }
        long[] peak = heapPeak();
        return new Result(kills, terms, longestStop, outages, unexpectedExits, peak[0], peak[1], verdicts,
                List.copyOf(notes));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder("""
                # Written by the chaos run (sluice-bench ChaosRun): endpoints from the environment it gives the worker.
                aws:
                  region: ${AWS_REGION}
                  endpoints:
                    sqs: ${AWS_ENDPOINT_URL_SQS:-}
                    s3: ${AWS_ENDPOINT_URL_S3:-}
                    kinesis: ${AWS_ENDPOINT_URL_KINESIS:-}
                postgres:
                  url: ${SLUICE_POSTGRES_URL}
                redis:
                  url: ${SLUICE_REDIS_URL:-redis://127.0.0.1:1}
                pipelines:
                """);
        targets.forEach(t -> yaml.append(t.settings()));
        Files.writeString(config, yaml);
    }

    private void startWorker() throws IOException {
        lives++;
        List<String> command = WorkerProcess.javaCommand(heap);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChaosWorker.class.getName(),
                heapFile(lives).toString(), "run", "--config", config.toString(), "--port", "0"));
        targets.forEach(t -> command.add(t.name()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(stack.workerEnvironment());
        Files.writeString(log, "=== worker life " + lives + " at " + elapsed() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        lifeStartsAt = Files.size(log);
        worker = builder.start();
    }

    /**
     * Waits until this life of the worker says it is running (at most {@link #START_LIMIT}): on a loaded machine a
     * JVM can take longer to start than the gap the plan left, and killing it before it consumed tests nothing new.
     */
    private void awaitRunning() throws Exception {
        long from = System.nanoTime();
        while (worker.isAlive() && System.nanoTime() - from < START_LIMIT.toNanos()) {
            String life;
            try (var in = Files.newInputStream(log)) {
                in.skipNBytes(lifeStartsAt);
                life = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (life.startsWith("running ") || life.contains("\nrunning ")) {
                return;
            }
            Thread.sleep(POLL);
        }
    }

    private Path heapFile(int life) {
        return stack.directory().resolve("heap-" + life + ".txt");
    }

    /** SIGKILL, as the OOM killer or a lost host would. */
    private void kill() throws InterruptedException {
        worker.destroyForcibly();
        if (!worker.waitFor(TERM_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the worker survived SIGKILL for " + TERM_LIMIT);
        }
    }

    /** SIGTERM, as a deploy or a scale-in does; how long the worker took to exit. */
    private Duration terminate() throws InterruptedException {
        long from = System.nanoTime();
        worker.destroy();
        if (!worker.waitFor(TERM_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            notes.add("worker life " + lives + " did not exit within " + TERM_LIMIT.toSeconds()
                    + " s of SIGTERM; killed (see worker.log)");
            kill();
        } else if (worker.exitValue() != 0 && worker.exitValue() != 143) {
            notes.add("worker life " + lives + " exited with " + worker.exitValue() + " after SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - from);
    }

    /** Waits until {@code at} from the start, restarting a worker that died on its own (and saying so). */
    private void superviseUntil(Duration at) throws Exception {
        while (System.nanoTime() - started < at.toNanos()) {
            if (!worker.isAlive()) {
                unexpectedExits++;
                notes.add("worker life " + lives + " exited by itself with " + worker.exitValue() + " at "
                        + elapsed() + "; restarted (see worker.log)");
                startWorker();
            }
            Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (at.toNanos() - (System.nanoTime() - started)) / 1_000_000)));
        }
    }

    /** From the end of {@code outage} until {@code target}'s sink count moves, at most {@link #RECOVERY_LIMIT}. */
    private Thread watchRecovery(ChaosTarget target, Outage outage) {
        long end = System.nanoTime();
        return Thread.ofVirtual().name(target.name() + "-recovery").start(() -> {
            Long before = null;
            Exception lastFailure = null;
            while (System.nanoTime() - end < RECOVERY_LIMIT.toNanos()) {
                try {
                    long count = target.sinkCount(stack);
                    if (before == null) {
                        before = count;
                    } else if (count > before) {
                        outage.recovery().put(target.name(), Duration.ofNanos(System.nanoTime() - end));
                        return;
                    }
                } catch (Exception e) {
                    lastFailure = e; // the server is still coming back: count again
                }
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    return;
                }
            }
            notes.add(target.name() + ": sinks did not move within " + RECOVERY_LIMIT.toMinutes() + " min after the "
                    + outage.service().label + " " + outage.kind() + (lastFailure == null ? "" : "; last count failed: "
                    + lastFailure));
        });
    }

    /** Until every queue is empty and no sink count changed for {@link #SETTLED}, at most {@link #DRAIN_LIMIT}. */
    private void drain() throws Exception {
        long from = System.nanoTime();
        long settledSince = System.nanoTime();
        List<Long> last = List.of();
        while (System.nanoTime() - from < DRAIN_LIMIT.toNanos()) {
            superviseUntil(Duration.ofNanos(System.nanoTime() - started + Duration.ofSeconds(1).toNanos()));
            List<Long> counts = new ArrayList<>();
            long backlog = 0;
            try {
                for (ChaosTarget target : targets) {
                    counts.add(target.sinkCount(stack));
                    backlog += target.backlog(stack);
                }
            } catch (Exception e) {
                notes.add("a sink count failed while draining: " + e);
                continue;
            }
            if (!counts.equals(last) || backlog > 0) {
                last = counts;
                settledSince = System.nanoTime();
            } else if (System.nanoTime() - settledSince >= SETTLED.toNanos()) {
                say("%s drained in %d s", elapsed(), Duration.ofNanos(System.nanoTime() - from).toSeconds());
                return;
            }
        }
        notes.add("not drained within " + DRAIN_LIMIT.toMinutes() + " min of the generators' stop");
    }

    /** The largest sampled heap and the largest sum of pool peaks over every life of the worker, in MB. */
    private long[] heapPeak() {
        long sampled = 0;
        long pools = 0;
        try (Stream<Path> files = Files.list(stack.directory())) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("heap-\\d+\\.txt")).toList()) {
                Map<String, String> heapLine = WorkerProcess.fields(Files.readString(file));
                sampled = Math.max(sampled, Long.parseLong(heapLine.getOrDefault("sampled_peak_mb", "0")));
                pools = Math.max(pools, Long.parseLong(heapLine.getOrDefault("pool_peaks_mb", "0")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the worker's heap reports", e);
        }
        return new long[] {sampled, pools};
    }

    private String elapsed() {
        return String.format("[%4ds]", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
