package dev.sluice.aws.kinesis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ShardWatermarkTest {

    @Test
    void outOfOrderAcknowledgementsCheckpointOnlyTheWatermark() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        for (String sequence : List.of("100", "200", "300", "400")) {
            mark.handedOut(sequence);
        }

        mark.acknowledged("300");
        assertThat(mark.checkpoint()).isEmpty();
        mark.acknowledged("100");
        assertThat(mark.checkpoint()).contains("100");
        mark.acknowledged("400");
        assertThat(mark.checkpoint()).contains("100");
        assertThat(mark.inWork()).isEqualTo(1);
        mark.acknowledged("200");
        assertThat(mark.checkpoint()).contains("400");
        assertThat(mark.allAcknowledged()).isTrue();
    }

    @Test
    void sequenceNumbersCompareAsNumbers() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        mark.handedOut("99");
        mark.handedOut("100");

        mark.acknowledged("100");

        assertThat(mark.checkpoint()).as("99 sorts before 100 as a number, not as text").isEmpty();
    }

    @Test
    void aResumedShardKeepsItsCheckpointUntilSomethingAfterItIsAcknowledged() {
        ShardWatermark mark = new ShardWatermark(Optional.of("49680467789953230099556220274829861336178754670005583874"));
        assertThat(mark.checkpoint()).contains("49680467789953230099556220274829861336178754670005583874");

        mark.handedOut("49680467789953230099556220274829861336178754670005583873");
        assertThat(mark.allAcknowledged()).as("a record at or before the checkpoint is not outstanding").isTrue();
        mark.handedOut("49680467789953230099556220274829861336178754670005583875");
        mark.acknowledged("49680467789953230099556220274829861336178754670005583875");

        assertThat(mark.checkpoint()).contains("49680467789953230099556220274829861336178754670005583875");
    }

    @Test
    void repeatedAndUnknownAcknowledgementsChangeNothing() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        mark.handedOut("1");
        mark.handedOut("2");

        mark.acknowledged("7");
        mark.acknowledged("2");
        mark.acknowledged("2");
        mark.handedOut("2");

        assertThat(mark.checkpoint()).isEmpty();
        assertThat(mark.inWork()).isEqualTo(1);
    }

    /** Whatever order the acknowledgements come in, the checkpoint is the longest acknowledged prefix. */
    @Test
    void theCheckpointIsAlwaysTheLongestAcknowledgedPrefix() {
        qt().forAll(integers().between(1, 60), integers().all()).checkAssert((count, seed) -> {
            List<Integer> sequences = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                sequences.add(i * 10);
            }
            ShardWatermark mark = new ShardWatermark(Optional.empty());
            sequences.forEach(s -> mark.handedOut(Integer.toString(s)));
            List<Integer> acks = new ArrayList<>(sequences);
            Collections.shuffle(acks, new Random(seed));
            TreeSet<Integer> acked = new TreeSet<>();
            for (int sequence : acks) {
                mark.acknowledged(Integer.toString(sequence));
                acked.add(sequence);
                Optional<String> expected = Optional.empty();
                for (int s : sequences) {
                    if (!acked.contains(s)) {
                        break;
                    }
                    expected = Optional.of(Integer.toString(s));
                }
                assertThat(mark.checkpoint()).isEqualTo(expected);
            }
            assertThat(mark.allAcknowledged()).isTrue();
        });
    }
}
