package dev.sluice.bench;

import com.sun.management.ThreadMXBean;
import dev.sluice.core.config.ConfigLoader;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.pipeline.Event;
import dev.sluice.core.pipeline.PipelineAssembler;
import dev.sluice.core.pipeline.PipelineDefinitions;
import dev.sluice.core.plugin.Catalog;
import dev.sluice.core.plugin.Resources;
import dev.sluice.pipelines.logins.LoginGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped logins definition's processors alone ({@code parse_json → schema → mask → derive}), without queue or
 * database: CPU time and bytes allocated per event on one thread, which the end-to-end {@code logins} benchmark
 * cannot show (there the SQS client's work dwarfs them, and other builds on the machine move its rates).
 *
 * <p>Usage: {@code logins-steps [--events 10000] [--warmup 40] [--rounds 20]}: each round runs every generated body
 * through the processors once; the first {@code warmup} rounds only warm the JIT.
 */
final class LoginsStepsBenchmark {

    static final String NAME = "logins-steps";

    private LoginsStepsBenchmark() {
    }

    public static void main(String[] args) {
        Options options = Options.forCommand(args, NAME, "[--events 10000] [--warmup 40] [--rounds 20]");
        int events = options.intValue("events", 10_000);
        int warmup = options.intValue("warmup", 40);
        int rounds = options.intValue("rounds", 20);
        Stage<Message, Event> processors = loginsProcessors();
        LoginGenerator generator = new LoginGenerator(7, 0, 0);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            messages.add(new Message(generator.next(), new SourceCoordinates.Queue(PipelineTuning.QUEUE, "m" + i, 1),
                    Instant.now(), "receipt"));
        }
        ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] nanos = new double[rounds];
        double[] bytes = new double[rounds];
        for (int round = -warmup; round < rounds; round++) {
            long cpuBefore = thread.getCurrentThreadCpuTime();
            long allocatedBefore = thread.getCurrentThreadAllocatedBytes();
            for (Message message : messages) {
                Outcome<Event> outcome = processors.apply(message);
                if (!(outcome instanceof Outcome.Emit<?>)) {
                    throw new IllegalStateException("a generated login did not pass: " + outcome);
                }
            }
            if (round >= 0) {
                nanos[round] = (double) (thread.getCurrentThreadCpuTime() - cpuBefore) / events;
                bytes[round] = (double) (thread.getCurrentThreadAllocatedBytes() - allocatedBefore) / events;
            }
        }
        System.out.println("# Sluice logins-steps: the shipped logins processors on one thread, " + events
                + " events x " + rounds + " rounds after " + warmup + " warm-up rounds");
        System.out.println(MachineFacts.describe());
        System.out.println("| measure | median | min | max |\n|---|---|---|---|\n" + row("CPU ns per event", nanos)
                + row("bytes allocated per event", bytes));
    }

    /** The processors exactly as {@code sluice run logins} assembles them, masking with a generated keyset. */
    private static Stage<Message, Event> loginsProcessors() {
        Catalog catalog = Catalog.load();
        Map<String, String> environment = Map.of(Keyset.ENV_KEYSET, Keyset.generate().toJson());
        PipelineDefinitions definitions = PipelineDefinitions.load(catalog, new ConfigLoader(environment),
                Optional.empty());
        Resources resources = new Resources(catalog, definitions.root(), environment, new SimpleMeterRegistry(),
                Clock.systemUTC());
        return new PipelineAssembler(catalog, resources).processors("logins", definitions.definition("logins"),
                new ArrayList<>());
    }

    private static String row(String measure, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", measure, sorted[sorted.length / 2],
                sorted[0], sorted[sorted.length - 1]);
    }
}
