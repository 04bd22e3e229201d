package dev.sluice.bench;

import dev.sluice.aws.sqs.SqsSourceSettings;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The limit a queue-draining flow is compared with (issue 14): the strongest raw drain of the same queue in the same
 * run, the best of {@link #CONSUMERS} consumers, each drain in its own JVM ({@link RawDrainWorker}) with the heap the
 * flow gets, after a refill. The rates of all three are kept, so the table shows which count was best.
 */
final class StrongestDrain {
    static final List<Integer> CONSUMERS = List.of(4, 16, 32);
    /**
     * Messages a drain's JVM drains untimed first: a cold SDK client in a new JVM drained the tracking queue at a
     * third of its warm rate (docs/benchmarks.md), which understated the limit.
     */
    static final int DEFAULT_WARM_UP = 10_000;
    /** A drain of 100,000 messages took 7–35 s on this machine; the limit is for a machine far busier than that. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    /** Messages per second by consumer count, in {@link #CONSUMERS} order. */
    record Result(Map<Integer, Double> perSecond) {
        double best() {
            return perSecond.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        int bestConsumers() {
            return perSecond.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }

        /** {@code 4: 5012, 16: 9876, 32: 9001}. */
        String describe() {
            return perSecond.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%d: %.0f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
        }
    }

    private StrongestDrain() {
    }

    /**
     * For each consumer count: {@code fill} (which must put {@code messages} on the queue), then drain them in a
     * child JVM, after an untimed drain of {@code warmUp} messages from a queue of its own when above 0;
     * {@code awaitEmpty} runs after each drain and must fail if anything is left.
     */
    static Result measure(URI sqsEndpoint, String queueUrl, SqsSourceSettings polling, int messages, int warmUp,
                          String heap, Runnable fill, Runnable awaitEmpty) {
        Map<Integer, Double> perSecond = new LinkedHashMap<>();
        for (int consumers : CONSUMERS) {
            fill.run();
            try (WorkerProcess drain = WorkerProcess.start(heap, RawDrainWorker.class, List.of(
                    sqsEndpoint.toString(), queueUrl, Integer.toString(consumers),
                    Integer.toString(messages), Integer.toString(polling.maxMessagesPerPoll()),
                    Long.toString(polling.visibilityTimeout().toSeconds()), Integer.toString(warmUp)), Map.of())) {
                long nanos = Long.parseLong(WorkerProcess.fields(drain.expect("drained ", DRAIN_TIMEOUT)).get("nanos"));
                drain.awaitExit();
                perSecond.put(consumers, messages / (nanos / 1e9));
            }
            awaitEmpty.run();
        }
        return new Result(perSecond);
    }
}
