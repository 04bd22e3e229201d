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
        mark.released("2");

        assertThat(mark.checkpoint()).isEmpty();
        assertThat(mark.inWork()).isEqualTo(1);
    }

    /**
     * After a rewind the same record is read again while its first read may still sit in an open file: an
     * acknowledgement of the second read (a copy, acknowledged at once) must not pass the first.
     */
    @Test
    void aRecordReadTwiceIsCheckpointedOnlyOnceBothReadsAreAcknowledged() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        List.of("1", "2", "3").forEach(mark::handedOut);
        mark.handedOut("2");
        mark.handedOut("3");

        mark.acknowledged("1");
        mark.acknowledged("2");
        mark.acknowledged("3");

        assertThat(mark.checkpoint()).as("the first reads of 2 and 3 are still in work").contains("1");
        assertThat(mark.inWork()).isEqualTo(2);
        mark.acknowledged("2");
        mark.acknowledged("3");
        assertThat(mark.checkpoint()).contains("3");
        assertThat(mark.allAcknowledged()).isTrue();
    }

    /** A released record comes again after the rewind: its new read is the one acknowledged, and nothing leaks. */
    @Test
    void aReleasedRecordReadAgainIsCheckpointedWhenTheNewReadIsAcknowledged() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        List.of("1", "2", "3", "4").forEach(mark::handedOut);
        mark.acknowledged("1");
        mark.acknowledged("4");

        mark.released("2");
        mark.released("3");
        assertThat(mark.inWork()).as("released records are no longer in work").isZero();
        assertThat(mark.allAcknowledged()).as("but they are not done either").isFalse();
        mark.acknowledged("2");
        assertThat(mark.checkpoint()).as("an acknowledgement of a released read is ignored").contains("1");

        List.of("2", "3", "4").forEach(mark::handedOut);
        mark.acknowledged("2");
        mark.acknowledged("3");
        assertThat(mark.checkpoint()).as("4 was read again and that read is still in work").contains("3");
        mark.acknowledged("4");

        assertThat(mark.checkpoint()).contains("4");
        assertThat(mark.inWork()).isZero();
        assertThat(mark.allAcknowledged()).isTrue();
        assertThat(mark.positions()).isZero();
    }

    /**
     * A record that stays in work (a slow or abandoned file) holds the checkpoint, but the acknowledged records after
     * it are not each kept: memory is bounded by what is in work, not by what was read.
     */
    @Test
    void acknowledgedRecordsBehindOneInWorkTakeNoMemoryEach() {
        ShardWatermark mark = new ShardWatermark(Optional.empty());
        mark.handedOut("1");
        for (int sequence = 2; sequence <= 10_001; sequence++) {
            mark.handedOut(Integer.toString(sequence));
            mark.acknowledged(Integer.toString(sequence));
        }

        assertThat(mark.checkpoint()).isEmpty();
        assertThat(mark.positions()).isLessThanOrEqualTo(2);
        mark.acknowledged("1");
        assertThat(mark.checkpoint()).contains("10001");
        assertThat(mark.positions()).isZero();
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

    /**
     * Reads, rewinds that read records again, releases and acknowledgements in any order: the checkpoint never passes
     * a record with a read in work or released, and once every read is acknowledged it is the last record read.
     */
    @Test
    void theCheckpointNeverPassesARecordWithAReadInWorkWhateverTheRewinds() {
        qt().forAll(integers().between(1, 40), integers().all()).checkAssert((count, seed) -> {
            Random random = new Random(seed);
            ShardWatermark mark = new ShardWatermark(Optional.empty());
            int[] reads = new int[count + 1];
            boolean[] durable = new boolean[count + 1];
            List<Integer> inWork = new ArrayList<>();
            int read = 0;
            int rewinds = 0;
            while (read < count || !inWork.isEmpty()) {
                // Each rewind hands out many reads; a few per run, or the reads in work would never run out.
                int action = random.nextInt(10);
                boolean rewind = (action == 4 || action == 5) && rewinds < 4;
                if (read < count && (inWork.isEmpty() || action < 4)) {
                    read++;
                    handOut(mark, read, reads, inWork);
                } else if (rewind && action == 4) {
                    rewinds++;
                    for (int again = 1 + random.nextInt(read); again <= read; again++) {
                        handOut(mark, again, reads, inWork);
                    }
                } else if (!inWork.isEmpty()) {
                    int sequence = inWork.remove(random.nextInt(inWork.size()));
                    reads[sequence]--;
                    if (rewind) {
                        rewinds++;
                        // Released: not durable until a later read of it is acknowledged with no read left in work.
                        mark.released(Integer.toString(sequence));
                        for (int again = sequence; again <= read; again++) {
                            handOut(mark, again, reads, inWork);
                        }
                    } else {
                        mark.acknowledged(Integer.toString(sequence));
                        durable[sequence] |= reads[sequence] == 0;
                    }
                }
                int done = 0;
                while (done < read && durable[done + 1]) {
                    done++;
                }
                int checkpoint = mark.checkpoint().map(Integer::parseInt).orElse(0);
                assertThat(checkpoint).as("the checkpoint passes no record in work").isLessThanOrEqualTo(done);
            }
            assertThat(mark.checkpoint()).contains(Integer.toString(count));
            assertThat(mark.inWork()).isZero();
            assertThat(mark.positions()).isZero();
        });
    }

    private static void handOut(ShardWatermark mark, int sequence, int[] reads, List<Integer> inWork) {
        mark.handedOut(Integer.toString(sequence));
        reads[sequence]++;
        inWork.add(sequence);
    }
}
