package dev.sluice.core.status;

import dev.sluice.core.engine.Backoff;
import dev.sluice.core.engine.InMemoryQueue;
import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.PipelineState;
import dev.sluice.core.engine.Runner;
import dev.sluice.core.engine.RunnerSettings;
import dev.sluice.core.engine.Stage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the dashboard reads: counts, state, latest rejects, against a real runner on an in-memory queue. */
class StatusBoardTest {
    private static final RunnerSettings FAST = new RunnerSettings(1, 50, 10, Duration.ofMillis(5), 1,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), Duration.ofSeconds(2));
    private static final Stage<Message, String> CHECK = m -> m.body().startsWith("bad")
            ? Outcome.reject("body: starts with bad") : Outcome.emit(m.body());

    @Test
    void countsStateAndTheLatestRejectsNewestFirst() {
        InMemoryQueue queue = new InMemoryQueue("orders", Duration.ofSeconds(30));
        AtomicBoolean sinkDown = new AtomicBoolean();
        Runner<String> runner = Runner.<String>builder("orders", queue, CHECK, deliveries -> {
            if (sinkDown.get()) {
                throw new IllegalStateException("destination unreachable");
            }
        }, rejects -> { }).settings(FAST).build();
        try (StatusBoard board = StatusBoard.start(List.of(runner), java.time.Clock.systemUTC())) {
            assertThat(board.snapshot().getFirst().state()).isEqualTo(PipelineState.STOPPED);
            runner.start();
            queue.send("good 1");
            String firstBad = queue.send("bad 1");
            queue.send("good 2");
            await().until(() -> queue.remaining() == 0);
            String secondBad = queue.send("bad 2");
            await().until(() -> queue.remaining() == 0);

            board.sample();
            queue.send("good 4");
            await().until(() -> queue.remaining() == 0);
            board.sample();

            PipelineStatus status = board.snapshot().getFirst();
            assertThat(status.throughput()).extracting(s -> s.written() + "/" + s.rejected())
                    .containsExactly("2/2", "1/0");
            assertThat(status.name()).isEqualTo("orders");
            assertThat(status.source()).isEqualTo("orders");
            assertThat(status.state()).isEqualTo(PipelineState.RUNNING);
            assertThat(status.failingSince()).isEmpty();
            assertThat(status.received()).isEqualTo(5);
            assertThat(status.written()).isEqualTo(3);
            assertThat(status.rejected()).isEqualTo(2);
            assertThat(status.inFlight()).isZero();
            assertThat(status.backlog()).as("an in-memory queue cannot tell").isEmpty();
            assertThat(status.latestRejects()).extracting(r -> r.source())
                    .containsExactly("sqs:orders/" + secondBad + "#1", "sqs:orders/" + firstBad + "#1");
            assertThat(status.latestRejects()).allSatisfy(r ->
                    assertThat(r.reason()).isEqualTo("body: starts with bad"));

            sinkDown.set(true);
            queue.send("good 3");
            await().until(() -> board.snapshot().getFirst().state() == PipelineState.FAILING);
            assertThat(board.snapshot().getFirst().failingSince()).isPresent();
            assertThat(board.snapshot().getFirst().retries()).isPositive();
            sinkDown.set(false);
            await().until(() -> board.snapshot().getFirst().state() == PipelineState.RUNNING);
        } finally {
            runner.stop();
        }
    }
}
