package dev.sluice.core.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Drives one pipeline: receivers poll the {@link Source}, writers run the {@link Stage} chain over batches and
 * write to the {@link Sink} and {@link ErrorSink}, and only then acknowledge (DESIGN.md §2). All threads are
 * virtual.
 *
 * <pre>{@code
 * Runner<Login> runner = Runner.builder("logins", sqsSource, parseAndMask, loginSink, errorSink)
 *         .settings(settings).metrics(new PipelineMetrics(registry, "logins")).build();
 * runner.start();
 * ...
 * runner.stop();   // drains within settings.stopTimeout(); anything unfinished is redelivered later
 * }</pre>
 *
 * <p>Guarantees: at most {@code maxInFlight} messages are held at once; a message is acknowledged only after its
 * value or its reject is durable (for a {@link BufferingSink}, when the sink reports the value stored); transient failures are retried with {@link Backoff} forever while the runner
 * runs, and the claim on those messages is extended meanwhile; on stop, messages not yet processed are released
 * back to the source at once.
 */
public final class Runner<T> {
    private static final Logger log = LoggerFactory.getLogger(Runner.class);
    private static final Duration IDLE_CHECK = Duration.ofMillis(100);
    /** How long past stopTimeout a stop waits for threads it interrupted, in all. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(2);
    static final int RECENT_REJECTS = 20;

    private final String pipeline;
    private final Source source;
    private final Stage<Message, T> stages;
    private final Sink<T> sink;
    /** The sink again when it buffers (acks wait for its reports), else null. */
    private final BufferingSink<T> bufferingSink;
    private final ErrorSink errorSink;
    private final RunnerSettings settings;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final RejectedMessages rejectedMessages;

    private final Semaphore inFlight;
    private final LinkedBlockingQueue<Message> pending = new LinkedBlockingQueue<>();
    /**
     * Every message received and not yet acknowledged, with the time its claim was last renewed; by identity, as a
     * record read twice (a Kinesis rewind) gives two equal messages, each holding its own permit.
     */
    private final Map<Message, Instant> claims = Collections.synchronizedMap(new IdentityHashMap<>());
    private final AtomicBoolean receiving = new AtomicBoolean();
    /** The latest rejects, newest first, for status views; bounded. */
    private final Deque<RejectNote> recentRejects = new ArrayDeque<>();
    /**
     * What fails now, kept apart by kind so one kind's success does not hide another's failure (receivers polling
     * fine must not hide writers retrying): polling, writing (sink and error sink), rolling the buffering sink, and
     * files the buffering sink gave up on, which only its next stored file clears.
     */
    private final Failure pollFailure = new Failure();
    private final Failure writeFailure = new Failure();
    private final Failure rollFailure = new Failure();
    private final Failure storeFailure = new Failure();
    private final AtomicBoolean writing = new AtomicBoolean();
    /**
     * Set when a stop hands the unfinished messages back: a buffering sink's report that comes later (a store that
     * outlived the stop) is ignored, as those messages belong to the source again.
     */
    private volatile boolean handedBack;
    private final List<Thread> receivers = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    /** Guards start and stop; a lock, not synchronized, so a virtual thread stopping the runner is not pinned. */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private Thread heartbeat;
    private Thread roller;

    private Runner(Builder<T> b) {
        this.pipeline = b.pipeline;
        this.source = b.source;
        this.stages = b.stages;
        this.sink = b.sink;
        this.bufferingSink = b.sink instanceof BufferingSink<T> buffering ? buffering : null;
        this.errorSink = b.errorSink;
        this.settings = b.settings;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.rejectedMessages = b.rejectedMessages;
        this.inFlight = new Semaphore(settings.maxInFlight());
        metrics.inFlight(claims::size);
    }

    public static <T> Builder<T> builder(String pipeline, Source source, Stage<Message, T> stages, Sink<T> sink,
                                         ErrorSink errorSink) {
        return new Builder<>(pipeline, source, stages, sink, errorSink);
    }

    public String pipeline() {
        return pipeline;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    /** Messages received and not yet acknowledged. */
    public int inFlight() {
        return claims.size();
    }

    public boolean isRunning() {
        return receiving.get();
    }

    /** Running, failing (retrying or giving up on a failure right now) or stopped. */
    public PipelineState state() {
        if (!receiving.get()) {
            return PipelineState.STOPPED;
        }
        return failingSince().isEmpty() ? PipelineState.RUNNING : PipelineState.FAILING;
    }

    /** When the oldest failure still going on started; empty while nothing fails. */
    public Optional<Instant> failingSince() {
        return oldestFailure().map(Failing::since);
    }

    /**
     * Why the pipeline is failing, for status views: the oldest failure still going on, e.g. "write failed
     * permanently: table user_logins: permission denied (SQLState 42501)"; empty while nothing fails. Names the
     * operation and the error's kind, never a value.
     */
    public Optional<String> failingReason() {
        return oldestFailure().map(Failing::reason);
    }

    private Optional<Failing> oldestFailure() {
        return Stream.of(pollFailure, writeFailure, rollFailure, storeFailure).map(Failure::now)
                .filter(Objects::nonNull).min(java.util.Comparator.comparing(Failing::since));
    }

    /** The source, for status views ({@link Source#backlog()}). */
    public Source source() {
        return source;
    }

    /** The latest rejects, newest first, at most {@value #RECENT_REJECTS}. */
    public List<RejectNote> recentRejects() {
        synchronized (recentRejects) {
            return List.copyOf(recentRejects);
        }
    }

    public void start() {
        lifecycle.lock();
        try {
            startThreads();
        } finally {
            lifecycle.unlock();
        }
    }

    private void startThreads() {
        if (!receiving.compareAndSet(false, true)) {
            throw new IllegalStateException("runner " + pipeline + " is already running");
        }
        writing.set(true);
        handedBack = false;
        if (bufferingSink != null) {
            // Before any writer runs: the sink may prepare state at start (dedupe loads what is stored).
            bufferingSink.start(BufferingSink.Durable.of(this::onDurable, this::onReleased));
        }
        for (int i = 0; i < settings.receivers(); i++) {
            receivers.add(Thread.ofVirtual().name(pipeline + "-receiver-" + i).start(this::receiveLoop));
        }
        for (int i = 0; i < settings.writers(); i++) {
            writers.add(Thread.ofVirtual().name(pipeline + "-writer-" + i).start(this::writeLoop));
        }
        heartbeat = Thread.ofVirtual().name(pipeline + "-heartbeat").start(this::heartbeatLoop);
        if (bufferingSink != null) {
            roller = Thread.ofVirtual().name(pipeline + "-roller").start(this::rollLoop);
        }
        logAt(Level.INFO).log("pipeline {} started on {} ({} receivers, {} writers, at most {} in flight)",
                pipeline, source.name(), settings.receivers(), settings.writers(), settings.maxInFlight());
    }

    /**
     * Stops receiving, finishes the messages already received within {@code stopTimeout}, releases the claims of
     * the rest back to the source, and closes the source (which writes the checkpoints it may). Returns within
     * {@code stopTimeout} plus {@link #STOP_MARGIN} (plus the source's close) whatever is down: a write or a store
     * still going on then is interrupted, or left behind, and its messages are released unacknowledged. Safe to call
     * more than once.
     */
    public void stop() {
        lifecycle.lock();
        try {
            stopThreads();
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopThreads() {
        if (!receiving.getAndSet(false)) {
            return;
        }
        Instant deadline = clock.instant().plus(settings.stopTimeout());
        // Threads interrupted at the deadline get this much longer, all together; one that ignores the interrupt
        // (blocked on a dead connection) is left behind.
        Instant margin = deadline.plus(STOP_MARGIN);
        receivers.forEach(Thread::interrupt);
        join(receivers, deadline);
        // Writers finish what is queued, then exit on their own once the queue is empty.
        writing.set(false);
        if (!join(writers, deadline)) {
            writers.forEach(Thread::interrupt);
            join(writers, margin);
        }
        if (bufferingSink != null) {
            roller.interrupt();
            join(List.of(roller), margin);
            flushWithin(deadline, margin);
        }
        heartbeat.interrupt();
        join(List.of(heartbeat), margin);
        handedBack = true;
        releaseUnfinished();
        source.close();
        logAt(Level.INFO).log("pipeline {} stopped: {} received, {} written, {} rejected, {} released for "
                + "redelivery", pipeline, (long) metrics.receivedCount(), (long) metrics.writtenCount(),
                (long) metrics.rejectedCount(), claims.size());
        receivers.clear();
        writers.clear();
    }

    /**
     * Runs {@link #flushBuffered} on its own thread, so a store that blocks (a dependency down, a record retried)
     * cannot hold the stop: at the deadline it is interrupted, and at the margin left behind.
     */
    private void flushWithin(Instant deadline, Instant margin) {
        Thread flusher = Thread.ofVirtual().name(pipeline + "-flush").start(() -> flushBuffered(deadline));
        if (join(List.of(flusher), deadline)) {
            return;
        }
        flusher.interrupt();
        if (!join(List.of(flusher), margin)) {
            logAt(Level.WARN).log("pipeline {}: storing the buffered values did not end within stopTimeout; their "
                    + "messages are released for redelivery", pipeline);
        }
    }

    /**
     * Stores what the buffering sink still holds, retrying until the stop deadline; what is not stored by then is
     * released with the other unfinished messages and comes back after the restart.
     */
    private void flushBuffered(Instant deadline) {
        int attempt = 0;
        while (true) {
            try {
                bufferingSink.flush();
                return;
            } catch (Exception e) {
                metrics.retried("roll");
                Duration delay = settings.backoff().delay(attempt++);
                if (clock.instant().plus(delay).isAfter(deadline)) {
                    logAt(Level.WARN).log("pipeline {}: storing the buffered values on stop failed; their messages "
                            + "are redelivered: {}", pipeline, e.toString());
                    return;
                }
                if (!sleep(delay)) {
                    return;
                }
            }
        }
    }

    /** Calls the buffering sink's roll every tick, so age-based rolls and failed stores happen without new input. */
    private void rollLoop() {
        while (sleep(bufferingSink.tick())) {
            try {
                bufferingSink.roll(clock.instant());
                rollFailure.clear();
            } catch (Exception e) {
                String operation = "storing buffered values";
                rollFailure.fail(failing(operation, e));
                if (givesUp(e, rollFailure.now().since())) {
                    // The sink hands the messages back (onReleased counts, logs and reports it); the next roll
                    // starts afresh.
                    rollFailure.clear();
                    giveUpPending(givenUpReason(operation, e));
                    continue;
                }
                metrics.retried("roll");
                logAt(Level.WARN).log("pipeline {}: storing buffered values failed, retrying at the next tick: {}",
                        pipeline, e.toString());
            }
        }
    }

    private void giveUpPending(String reason) {
        try {
            bufferingSink.giveUpPending(reason);
        } catch (RuntimeException e) {
            logAt(Level.ERROR).setCause(e).log("pipeline {}: giving up the buffered values that cannot be stored "
                    + "failed; they are tried again", pipeline);
        }
    }

    /** The buffering sink's report: these messages' values are stored, so they can be acknowledged. */
    private void onDurable(List<Message> messages) {
        if (handedBack) {
            return;
        }
        if (!messages.isEmpty()) {
            storeFailure.clear();
        }
        try {
            acknowledge(messages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.written(messages.size());
    }

    /** The buffering sink's report: it gave up on these messages' values; the source delivers them again. */
    private void onReleased(List<Message> messages, String reason) {
        if (handedBack) {
            return;
        }
        storeFailure.fail(reason);
        metrics.gaveUp("store");
        logAt(Level.ERROR).log("pipeline {}: the sink gave up on the values of {} messages, handed back to the "
                + "source for redelivery: {}", pipeline, messages.size(), reason);
        releaseToSource(messages);
    }

    private boolean join(List<Thread> threads, Instant deadline) {
        for (Thread t : threads) {
            long millis = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
            try {
                if (!t.join(Duration.ofMillis(millis))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Lets the source redeliver at once what this runner will not finish, instead of after the claim expires. */
    private void releaseUnfinished() {
        List<Message> unfinished;
        synchronized (claims) {
            unfinished = new ArrayList<>(claims.keySet());
        }
        if (unfinished.isEmpty()) {
            return;
        }
        try {
            source.extendClaim(unfinished, Duration.ZERO);
        } catch (Exception e) {
            logAt(Level.WARN).setCause(e).log("pipeline {}: could not release {} unfinished messages; they return "
                    + "when their claim expires", pipeline, unfinished.size());
        }
    }

    private void receiveLoop() {
        int perPoll = Math.min(source.maxPerPoll(), settings.maxInFlight());
        int failures = 0;
        while (receiving.get()) {
            try {
                inFlight.acquire(perPoll);
            } catch (InterruptedException e) {
                return;
            }
            List<Message> got;
            try {
                got = source.poll(perPoll);
                failures = 0;
                pollFailure.clear();
            } catch (Exception | Error e) {
                if (!receiving.get()) {
                    inFlight.release(perPoll);
                    return;
                }
                if (e instanceof PermanentFailureException) {
                    // Polling again cannot succeed (a queue or stream that is missing, a permission denied): this
                    // receiver stops, and the pipeline says why until it is restarted once that is mended.
                    pollFailure.fail(failing("polling " + source.name(), e));
                    metrics.gaveUp("poll");
                    logAt(Level.ERROR).log("pipeline {}: polling {} failed permanently; this receiver stops until "
                            + "the pipeline is restarted: {}", pipeline, source.name(), e.getMessage());
                    inFlight.release(perPoll);
                    return;
                }
                metrics.retried("poll");
                pollFailure.fail(failing("polling " + source.name(), e));
                logAt(Level.WARN).log("pipeline {}: polling {} failed, retrying: {}", pipeline, source.name(),
                        e.toString());
                inFlight.release(perPoll);
                if (!sleep(settings.backoff().delay(failures++))) {
                    return;
                }
                continue;
            }
            inFlight.release(perPoll - got.size());
            if (got.isEmpty()) {
                continue;
            }
            if (!receiving.get()) {
                // A long poll that outlived stop(): hand its messages back now rather than hold them for a whole
                // claim on behalf of a stopped runner.
                handBack(got);
                return;
            }
            Instant now = clock.instant();
            for (Message m : got) {
                claims.put(m, now);
            }
            metrics.received(got.size());
            pending.addAll(got);
        }
    }

    private void writeLoop() {
        List<Message> batch = new ArrayList<>(settings.batchSize());
        while (true) {
            try {
                Message first = pending.poll(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!writing.get()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                fill(batch);
                process(batch);
            } catch (InterruptedException e) {
                return;
            } catch (GaveUp g) {
                metrics.gaveUp(g.operation);
                writeFailure.fail(g.getMessage());
                List<Message> release = g.release == null ? batch : g.release;
                logAt(Level.ERROR).log("pipeline {}: gave up a batch, handing {} messages back to the source: {}",
                        pipeline, release.size(), g.getMessage());
                releaseToSource(release);
                // They come again at once: pause, so work that cannot succeed is not tried in a tight loop.
                if (!sleep(settings.backoff().max())) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                // Whatever went wrong (a bug, out of memory), the batch goes back to the source and its permits
                // are freed; the writer pauses and goes on, so a runner that says it runs has all its writers.
                logAt(Level.ERROR).setCause(e).log("pipeline {}: a batch of {} messages failed unexpectedly; "
                        + "releasing it for redelivery", pipeline, batch.size());
                releaseToSource(batch);
                if (!sleep(settings.backoff().initial())) {
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void noteReject(RejectNote note) {
        synchronized (recentRejects) {
            recentRejects.addFirst(note);
            if (recentRejects.size() > RECENT_REJECTS) {
                recentRejects.removeLast();
            }
        }
    }

    /**
     * Forgets the messages here and hands those still claimed back to the source for redelivery now; one already
     * acknowledged or released is left alone (a Kinesis rewind to it would read acknowledged records again).
     */
    private void releaseToSource(List<Message> batch) {
        handBack(forget(batch));
    }

    private void handBack(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try {
            source.extendClaim(messages, Duration.ZERO);
        } catch (Exception e) {
            if (interruption(e)) {
                // stop() interrupted a receiver still handing back a long poll: expected, and as harmless as below.
                logAt(Level.WARN).log("pipeline {}: stopped while releasing {} messages; they return when their "
                        + "claim expires", pipeline, messages.size());
            } else {
                logAt(Level.WARN).setCause(e).log("pipeline {}: releasing {} messages failed; they return when "
                        + "their claim expires", pipeline, messages.size());
            }
        }
    }

    /** Whether {@code e} reports that this thread was interrupted (a client may wrap it, and clear the flag). */
    private static boolean interruption(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets the claims of {@code batch} and frees their in-flight permits: only of those still claimed, so a
     * message reported twice (released, then reported durable by a buffering sink) cannot free a permit twice.
     *
     * @return the messages that were claimed
     */
    private List<Message> forget(List<Message> batch) {
        List<Message> claimed = new ArrayList<>(batch.size());
        for (Message m : batch) {
            if (claims.remove(m) != null) {
                claimed.add(m);
            }
        }
        inFlight.release(claimed.size());
        return claimed;
    }

    private void fill(List<Message> batch) throws InterruptedException {
        long deadline = System.nanoTime() + settings.linger().toNanos();
        while (batch.size() < settings.batchSize()) {
            pending.drainTo(batch, settings.batchSize() - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= settings.batchSize() || left <= 0) {
                return;
            }
            Message next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void process(List<Message> batch) throws InterruptedException, GaveUp {
        List<Delivery<T>> deliveries = new ArrayList<>(batch.size());
        List<Rejected> rejects = new ArrayList<>();
        int drops = 0;
        long stagesStarted = System.nanoTime();
        for (Message m : batch) {
            switch (applyStages(m)) {
                case Outcome.Emit<T> emit -> deliveries.add(new Delivery<>(m, emit.value()));
                case Outcome.Reject<T> reject -> rejects.add(new Rejected(m, reject.reason()));
                case Outcome.Drop<T> drop -> {
                    drops++;
                    logAt(Level.DEBUG, m).log("pipeline {}: dropped {}: {}", pipeline, m.coordinates().describe(),
                            drop.why());
                }
            }
        }
        metrics.stages(System.nanoTime() - stagesStarted);
        if (!deliveries.isEmpty()) {
            rejects.addAll(writeDeliveries(deliveries));
        }
        List<Message> settled = batch;
        if (bufferingSink != null) {
            // Buffered values are acknowledged when the sink reports them stored (onDurable), not now.
            Set<Message> buffered = Collections.newSetFromMap(new IdentityHashMap<>());
            deliveries.forEach(d -> buffered.add(d.source()));
            rejects.forEach(r -> buffered.remove(r.source()));
            settled = batch.stream().filter(m -> !buffered.contains(m)).toList();
        } else {
            metrics.written(deliveries.size() - countRejectedDeliveries(deliveries, rejects));
        }
        if (!rejects.isEmpty()) {
            try {
                retryUntilDone("reject", () -> errorSink.write(rejects));
            } catch (GaveUp g) {
                // What the buffering sink took stays with it; the rest goes back.
                throw g.releasing(settled);
            }
            Instant now = clock.instant();
            for (Rejected r : rejects) {
                logAt(Level.INFO, r.source()).log("pipeline {}: rejected {}: {}", pipeline,
                        r.source().coordinates().describe(), r.reason());
                noteReject(new RejectNote(now, r.reason(), r.source().coordinates().describe()));
            }
        }
        if (rejectedMessages == RejectedMessages.RELEASE_FOR_REDRIVE && !rejects.isEmpty()) {
            Set<Message> rejected = identitySet(rejects);
            releaseToSource(settled.stream().filter(rejected::contains).toList());
            acknowledge(settled.stream().filter(m -> !rejected.contains(m)).toList());
        } else {
            acknowledge(settled);
        }
        metrics.rejected(rejects.size());
        metrics.dropped(drops);
    }

    private Outcome<T> applyStages(Message m) {
        try {
            return stages.apply(m);
        } catch (RuntimeException e) {
            // A stage bug must not block the queue. The exception's text may hold payload values, so neither the
            // reason nor the log gets it: only its type and where it was thrown.
            StackTraceElement[] trace = e.getStackTrace();
            logAt(Level.ERROR, m).log("pipeline {}: stage failed on {} with {} at {}", pipeline,
                    m.coordinates().describe(), e.getClass().getName(),
                    trace.length == 0 ? "an unknown place" : trace[0]);
            return Outcome.reject("internal: stage failed with " + e.getClass().getSimpleName());
        }
    }

    /** Writes deliveries; returns those the destination refused on their own, as rejects. */
    private List<Rejected> writeDeliveries(List<Delivery<T>> deliveries) throws InterruptedException, GaveUp {
        try {
            retryUntilDoneOrRefused("write", () -> timedWrite(deliveries));
            return List.of();
        } catch (DestinationRejectedException batchRefused) {
            if (deliveries.size() == 1) {
                return List.of(new Rejected(deliveries.getFirst().source(), batchRefused.getMessage()));
            }
            List<Rejected> refused = new ArrayList<>();
            for (Delivery<T> d : deliveries) {
                try {
                    retryUntilDoneOrRefused("write", () -> timedWrite(List.of(d)));
                } catch (DestinationRejectedException e) {
                    refused.add(new Rejected(d.source(), e.getMessage()));
                }
            }
            return refused;
        }
    }

    private void timedWrite(List<Delivery<T>> deliveries) throws Exception {
        long started = System.nanoTime();
        sink.write(deliveries);
        metrics.sinkWrite(System.nanoTime() - started);
    }

    private int countRejectedDeliveries(List<Delivery<T>> deliveries, List<Rejected> rejects) {
        if (rejects.isEmpty()) {
            return 0;
        }
        Set<Message> rejected = identitySet(rejects);
        return (int) deliveries.stream().filter(d -> rejected.contains(d.source())).count();
    }

    private static Set<Message> identitySet(List<Rejected> rejects) {
        Set<Message> messages = Collections.newSetFromMap(new IdentityHashMap<>());
        rejects.forEach(r -> messages.add(r.source()));
        return messages;
    }

    private void acknowledge(List<Message> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        int attempt = 0;
        while (true) {
            try {
                source.acknowledge(batch);
                break;
            } catch (Exception e) {
                metrics.retried("ack");
                // Everything is durable already; if acking keeps failing the messages are redelivered and the
                // idempotent sinks absorb them, so give up after a few tries rather than stall the pipeline.
                if (++attempt >= 5 || !receiving.get()) {
                    logAt(Level.WARN).log("pipeline {}: could not acknowledge {} messages; they will be redelivered "
                            + "and skipped as already written: {}", pipeline, batch.size(), e.toString());
                    break;
                }
                if (!sleep(settings.backoff().delay(attempt))) {
                    throw new InterruptedException("stopped while acknowledging");
                }
            }
        }
        Instant acknowledged = clock.instant();
        for (Message m : forget(batch)) {
            metrics.endToEnd(Duration.between(m.sentAt(), acknowledged));
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws Exception;
    }

    /**
     * Retries until the write succeeds or is given up. The error sink refusing a reject is a broken deployment
     * (schema, permissions), not bad input, so it is retried like any transient failure: nothing is acknowledged
     * without a record of it.
     */
    private void retryUntilDone(String operation, Write write) throws InterruptedException, GaveUp {
        try {
            retry(operation, write, false);
        } catch (DestinationRejectedException impossible) {
            throw new AssertionError("refusals are retried here", impossible);
        }
    }

    private void retryUntilDoneOrRefused(String operation, Write write)
            throws InterruptedException, DestinationRejectedException, GaveUp {
        retry(operation, write, true);
    }

    /**
     * Retries with backoff until the write succeeds; gives it up at once on a {@link PermanentFailureException}, and
     * after {@link RunnerSettings#giveUpAfter()} on anything else.
     */
    private void retry(String operation, Write write, boolean refusalIsFinal)
            throws InterruptedException, DestinationRejectedException, GaveUp {
        int attempt = 0;
        Instant failingSince = null;
        while (true) {
            try {
                write.run();
                writeFailure.clear();
                return;
            } catch (DestinationRejectedException e) {
                if (refusalIsFinal) {
                    writeFailure.clear();
                    throw e;
                }
                failingSince = backOff(operation, attempt++, e, failingSince);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failingSince = backOff(operation, attempt++, e, failingSince);
            }
        }
    }

    /** Waits before the next attempt, or gives the work up; returns when this work started failing. */
    private Instant backOff(String operation, int attempt, Exception cause, Instant failingSince)
            throws InterruptedException, GaveUp {
        Instant since = failingSince == null ? clock.instant() : failingSince;
        writeFailure.fail(failing(operation, cause));
        if (givesUp(cause, since)) {
            throw new GaveUp(operation, givenUpReason(operation, cause));
        }
        metrics.retried(operation);
        Duration delay = settings.backoff().delay(attempt);
        logAt(Level.WARN).log("pipeline {}: {} failed (attempt {}), retrying in {} ms: {}", pipeline, operation,
                attempt + 1, delay.toMillis(), cause.toString());
        if (!sleep(delay)) {
            throw new InterruptedException("stopped while retrying " + operation);
        }
        return since;
    }

    /** Whether work failing with {@code cause}, and failing since {@code since}, is given up now. */
    private boolean givesUp(Exception cause, Instant since) {
        return cause instanceof PermanentFailureException
                || !clock.instant().isBefore(since.plus(settings.giveUpAfter()));
    }

    private String givenUpReason(String operation, Exception cause) {
        if (cause instanceof PermanentFailureException) {
            return failing(operation, cause);
        }
        return operation + " kept failing (" + cause.getClass().getSimpleName() + ") for "
                + settings.giveUpAfter() + "; given up";
    }

    /** Work given up: its messages ({@code release}, or else the whole batch) go back to the source. */
    private static final class GaveUp extends Exception {
        final String operation;
        final List<Message> release;

        GaveUp(String operation, String reason) {
            this(operation, reason, null);
        }

        private GaveUp(String operation, String reason, List<Message> release) {
            super(reason, null, false, false);
            this.operation = operation;
            this.release = release;
        }

        GaveUp releasing(List<Message> messages) {
            return new GaveUp(operation, getMessage(), messages);
        }
    }

    /**
     * Renews every claim older than a quarter of the claim timeout, checking each quarter: a claim is renewed by
     * half its lifetime at the latest, so one failed renewal can be retried (after a short pause) before it lapses.
     */
    private void heartbeatLoop() {
        Duration claim = source.claimTimeout();
        Duration every = claim.dividedBy(4);
        if (every.isZero()) {
            return;
        }
        Duration pause = every;
        while (sleep(pause)) {
            pause = every;
            Instant now = clock.instant();
            List<Message> due = new ArrayList<>();
            claims.forEach((m, renewed) -> {
                if (Duration.between(renewed, now).compareTo(every) >= 0) {
                    due.add(m);
                }
            });
            // Acknowledged or released meanwhile: renewing would hide a released message for a whole claim.
            due.removeIf(m -> !claims.containsKey(m));
            if (due.isEmpty()) {
                continue;
            }
            try {
                source.extendClaim(due, claim);
                due.forEach(m -> claims.replace(m, now));
                metrics.claimsExtended(due.size());
            } catch (Exception e) {
                metrics.retried("extend");
                pause = every.dividedBy(4).isZero() ? every : every.dividedBy(4);
                logAt(Level.WARN).log("pipeline {}: extending the claim of {} messages failed, retrying in {} ms: {}",
                        pipeline, due.size(), pause.toMillis(), e.toString());
            }
        }
    }

    /**
     * A failure's reason for status views: the operation and the error's type, or for a permanent failure its
     * message, which {@link PermanentFailureException} keeps free of values. Other errors' messages may quote one.
     */
    private static String failing(String operation, Throwable e) {
        if (e instanceof PermanentFailureException permanent) {
            return operation + " failed permanently: " + permanent.getMessage();
        }
        return operation + " failing (" + e.getClass().getSimpleName() + "), retrying";
    }

    /** A failure going on: since when, and why. */
    private record Failing(Instant since, String reason) {
    }

    /** One kind of failure: what of it goes on (null while nothing does); a success clears it. */
    private final class Failure {
        private final AtomicReference<Failing> now = new AtomicReference<>();

        void fail(String reason) {
            Instant at = clock.instant();
            now.updateAndGet(going -> new Failing(going == null ? at : going.since(), reason));
        }

        void clear() {
            now.set(null);
        }

        Failing now() {
            return now.get();
        }
    }

    /** A log line about this pipeline or a batch of its messages; the pipeline is a structured field too. */
    private LoggingEventBuilder logAt(Level level) {
        return PipelineLog.at(log, level, pipeline);
    }

    /** A log line about one message; the pipeline and the message's coordinates are structured fields too. */
    private LoggingEventBuilder logAt(Level level, Message m) {
        return PipelineLog.at(log, level, pipeline, m.coordinates());
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Builds a {@link Runner}; settings, metrics and clock have defaults. */
    public static final class Builder<T> {
        private final String pipeline;
        private final Source source;
        private final Stage<Message, T> stages;
        private final Sink<T> sink;
        private final ErrorSink errorSink;
        private RunnerSettings settings = RunnerSettings.DEFAULTS;
        private PipelineMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private RejectedMessages rejectedMessages = RejectedMessages.ACKNOWLEDGE;

        private Builder(String pipeline, Source source, Stage<Message, T> stages, Sink<T> sink, ErrorSink errorSink) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            this.source = Objects.requireNonNull(source, "source");
            this.stages = Objects.requireNonNull(stages, "stages");
            this.sink = Objects.requireNonNull(sink, "sink");
            this.errorSink = Objects.requireNonNull(errorSink, "errorSink");
        }

        public Builder<T> settings(RunnerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder<T> metrics(PipelineMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** What happens to a message after its reject is stored; {@link RejectedMessages#ACKNOWLEDGE} by default. */
        public Builder<T> rejectedMessages(RejectedMessages rejectedMessages) {
            this.rejectedMessages = Objects.requireNonNull(rejectedMessages, "rejectedMessages");
            return this;
        }

        public Builder<T> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Runner<T> build() {
            if (metrics == null) {
                metrics = new PipelineMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), pipeline);
            }
            return new Runner<>(this);
        }
    }
}
