package dev.sluice.core.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every line the runner logs names its pipeline as a field; lines about one message name its coordinates too. */
class RunnerLogTest {
    private static final RunnerSettings FAST = new RunnerSettings(2, 50, 20, Duration.ofMillis(5), 2,
            new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofSeconds(5));

    private final Logger logger = (Logger) LoggerFactory.getLogger(Runner.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
        logger.setLevel(levelBefore);
    }

    @Test
    void linesAboutAMessageCarryThePipelineAndTheSourceCoordinatesAsFields() {
        InMemoryQueue queue = new InMemoryQueue("q", Duration.ofSeconds(30));
        String rejected = queue.send("bad");
        String dropped = queue.send("skip");
        String failed = queue.send("boom");
        queue.send("fine");
        Stage<Message, String> stages = m -> switch (m.body()) {
            case "bad" -> Outcome.reject("body: is bad");
            case "skip" -> Outcome.drop("not for us");
            case "boom" -> throw new IllegalStateException("a bug");
            default -> Outcome.emit(m.body());
        };
        Runner<String> runner = Runner.builder("orders", queue, stages, ds -> { }, rs -> { }).settings(FAST).build();
        runner.start();
        try {
            await().until(() -> queue.remaining() == 0);
        } finally {
            runner.stop();
        }

        List<ILoggingEvent> events = List.copyOf(logs.list);
        assertThat(events).extracting(e -> fields(e).get(PipelineLog.PIPELINE)).as("every line")
                .isNotEmpty().containsOnly("orders");
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains(": rejected sqs:q/" + rejected))
                .singleElement().satisfies(e -> assertThat(fields(e))
                        .containsEntry(PipelineLog.SOURCE, "sqs:q/" + rejected + "#1"));
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains(": dropped "))
                .singleElement().satisfies(e -> assertThat(fields(e))
                        .containsEntry(PipelineLog.SOURCE, "sqs:q/" + dropped + "#1"));
        assertThat(events).filteredOn(e -> e.getFormattedMessage().contains(": stage failed on "))
                .singleElement().satisfies(e -> {
                    assertThat(fields(e)).containsEntry(PipelineLog.SOURCE, "sqs:q/" + failed + "#1");
                    assertThat(e.getFormattedMessage()).as("the readable text stays")
                            .startsWith("pipeline orders: stage failed on sqs:q/" + failed + "#1 with ");
                });
    }

    @Test
    void aLongPollThatOutlivesStopAndCannotBeHandedBackIsOneLineWithoutAStackTrace() {
        InMemoryQueue queue = new InMemoryQueue("q", Duration.ofSeconds(30));
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(1);
        Source lateAndInterrupted = new ForwardingSource(queue) {
            @Override
            public List<Message> poll(int max) throws InterruptedException {
                if (!late.get()) {
                    return List.of();
                }
                // A long poll under way when stop() comes, deaf to its interrupt (a blocking socket read), brings
                // a message back after it.
                polling.countDown();
                queue.send("late");
                long until = System.nanoTime() + Duration.ofMillis(200).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return queue.poll(max);
            }

            @Override
            public void extendClaim(List<Message> messages, Duration extension) {
                // What an SDK client throws when stop() interrupts its call.
                throw new IllegalStateException("aborted", new InterruptedException("interrupted"));
            }
        };
        RunnerSettings oneReceiver = new RunnerSettings(1, 50, 20, Duration.ofMillis(5), 1,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Duration.ofSeconds(5));
        Runner<String> runner = Runner.builder("orders", lateAndInterrupted, m -> Outcome.emit(m.body()), ds -> { },
                rs -> { }).settings(oneReceiver).build();
        runner.start();
        late.set(true);
        await().until(() -> polling.getCount() == 0);
        runner.stop();

        assertThat(List.copyOf(logs.list)).filteredOn(e -> e.getFormattedMessage().contains("releasing"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getFormattedMessage())
                            .isEqualTo("pipeline orders: stopped while releasing 1 messages; they return when their "
                                    + "claim expires");
                    assertThat(e.getThrowableProxy()).as("no stack trace for an expected interruption").isNull();
                });
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            pairs.forEach(p -> fields.put(p.key, p.value));
        }
        return fields;
    }
}
