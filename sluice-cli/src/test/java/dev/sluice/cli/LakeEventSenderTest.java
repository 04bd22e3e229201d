package dev.sluice.cli;

import dev.sluice.pipelines.lake.LakeEventGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeEventSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void sendsTheCountInBatchesAndCountsWhatItGenerated() throws InterruptedException {
        List<LakeEventGenerator.Generated> published = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        LakeEventSender sender = new LakeEventSender(new LakeEventGenerator(7, 20, 0.1, 0.1), events -> {
            batches.add(events.size());
            published.addAll(events);
        }, 500, CLOCK);

        sender.send(1_234, null, null);

        assertThat(batches).containsExactly(500, 500, 234);
        assertThat(sender.sent()).isEqualTo(1_234);
        assertThat(sender.duplicates()).isPositive()
                .isEqualTo(published.stream().filter(LakeEventGenerator.Generated::duplicate).count());
        assertThat(sender.late()).isPositive()
                .isEqualTo(published.stream().filter(e -> e.late() && !e.duplicate()).count());
    }

    /** The SDK reports an interrupt in the middle of a call as AbortedException; the demo stops on the interrupt. */
    @Test
    void anAbortedCallIsAnInterruptAndItsBatchIsNotCounted() {
        AbortedException aborted = AbortedException.builder().message("Thread was interrupted").build();
        LakeEventSender sender = new LakeEventSender(new LakeEventGenerator(7, 20, 0, 0), events -> {
            throw aborted;
        }, 500, CLOCK);

        assertThatThrownBy(() -> sender.send(1_000, null, null))
                .isInstanceOf(InterruptedException.class)
                .hasCause(aborted);
        assertThat(sender.sent()).isZero();
    }
}
