package dev.sluice.core.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The meters of one pipeline, all tagged {@code pipeline=<name>}. Tags carry names only, never payload values.
 *
 * <ul>
 *   <li>{@code sluice.messages.received|written|rejected|dropped}: counters by outcome</li>
 *   <li>{@code sluice.retries{operation=poll|write|reject|ack|extend|roll}}: transient failures retried</li>
 *   <li>{@code sluice.given_up{operation=poll|write|reject|store}}: work given up: a
 *       {@link PermanentFailureException}, or a failure that lasted {@link RunnerSettings#giveUpAfter()}; its
 *       messages go back to the source ({@code store}: also a file the buffering sink abandoned; {@code poll}: a
 *       receiver that stopped)</li>
 *   <li>{@code sluice.claims.extended}: visibility extensions sent for long work</li>
 *   <li>{@code sluice.latency.end_to_end}: from the producer's send to the acknowledgement</li>
 *   <li>{@code sluice.stages.duration}: the stage chain over one batch (parse, validate, mask, …)</li>
 *   <li>{@code sluice.sink.write.duration}: one successful sink write of a batch (a file, for playtime)</li>
 *   <li>{@code sluice.messages.in_flight}: received and not yet acknowledged</li>
 * </ul>
 */
public final class PipelineMetrics {
    /** The operations the runner retries, as {@code sluice.retries} tags them. */
    static final List<String> RETRIED_OPERATIONS = List.of("poll", "write", "reject", "ack", "extend", "roll");
    /** The operations the runner gives up, as {@code sluice.given_up} tags them. */
    static final List<String> GIVEN_UP_OPERATIONS = List.of("poll", "write", "reject", "store");

    private final MeterRegistry registry;
    private final String pipeline;
    private final Counter received;
    private final Counter written;
    private final Counter rejected;
    private final Counter dropped;
    private final Counter claimsExtended;
    private final Timer endToEnd;
    private final Timer stages;
    private final Timer sinkWrites;

    public PipelineMetrics(MeterRegistry registry, String pipeline) {
        this.registry = registry;
        this.pipeline = pipeline;
        this.received = counter("sluice.messages.received", "messages taken from the source");
        this.written = counter("sluice.messages.written", "messages whose values are durable in the sink");
        this.rejected = counter("sluice.messages.rejected", "messages stored in the error sink");
        this.dropped = counter("sluice.messages.dropped", "messages acknowledged with nothing to write");
        this.claimsExtended = counter("sluice.claims.extended", "visibility extensions for long work");
        this.endToEnd = Timer.builder("sluice.latency.end_to_end")
                .description("from the producer's send to the acknowledgement")
                .tag("pipeline", pipeline)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(registry);
        // Registered at zero, so a dashboard's retry panel has a series before the first failure.
        RETRIED_OPERATIONS.forEach(operation -> retries(operation));
        GIVEN_UP_OPERATIONS.forEach(operation -> givenUp(operation));
        this.stages = histogram("sluice.stages.duration", "the stage chain over one batch");
        this.sinkWrites = histogram("sluice.sink.write.duration", "one successful sink write of a batch");
    }

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).tag("pipeline", pipeline)
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tag("pipeline", pipeline).register(registry);
    }

    void inFlight(Supplier<Number> count) {
        Gauge.builder("sluice.messages.in_flight", count).tag("pipeline", pipeline).register(registry);
    }

    void received(int n) {
        received.increment(n);
    }

    void written(int n) {
        written.increment(n);
    }

    void rejected(int n) {
        rejected.increment(n);
    }

    void dropped(int n) {
        dropped.increment(n);
    }

    void claimsExtended(int n) {
        claimsExtended.increment(n);
    }

    void retried(String operation) {
        retries(operation).increment();
    }

    private Counter retries(String operation) {
        return Counter.builder("sluice.retries").description("transient failures retried")
                .tag("pipeline", pipeline).tag("operation", operation).register(registry);
    }

    void gaveUp(String operation) {
        givenUp(operation).increment();
    }

    private Counter givenUp(String operation) {
        return Counter.builder("sluice.given_up").description("work given up, its messages handed back to the source")
                .tag("pipeline", pipeline).tag("operation", operation).register(registry);
    }

    void stages(long nanos) {
        stages.record(nanos, TimeUnit.NANOSECONDS);
    }

    void sinkWrite(long nanos) {
        sinkWrites.record(nanos, TimeUnit.NANOSECONDS);
    }

    void endToEnd(Duration latency) {
        endToEnd.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public double receivedCount() {
        return received.count();
    }

    public double writtenCount() {
        return written.count();
    }

    public double rejectedCount() {
        return rejected.count();
    }

    public double droppedCount() {
        return dropped.count();
    }

    /** Claims renewed by the heartbeat so far, one per message per renewal. */
    public double claimsExtendedCount() {
        return claimsExtended.count();
    }

    /** Transient failures retried so far, all operations together. */
    public double retriedCount() {
        return registry.find("sluice.retries").tag("pipeline", pipeline).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Work given up so far (permanent failures, the retry limit, abandoned files), all operations together. */
    public double givenUpCount() {
        return registry.find("sluice.given_up").tag("pipeline", pipeline).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    public Timer endToEnd() {
        return endToEnd;
    }
}
