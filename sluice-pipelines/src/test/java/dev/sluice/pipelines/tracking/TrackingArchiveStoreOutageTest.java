package dev.sluice.pipelines.tracking;

import static dev.sluice.pipelines.tracking.TrackingArchiveHarness.archive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.engine.PipelineState;
import dev.sluice.local.EmbeddedS3;
import dev.sluice.postgres.testing.OnEachPostgres;
import dev.sluice.postgres.testing.TestDatabase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Messages are deleted only after their file is stored. While S3 is down every message stays on the queue (claimed,
 * not deleted) and the stores are retried; a missing bucket is permanent, so its stores are given up and their
 * messages handed back (to the dead-letter queue after their receive limit). Nothing is lost or doubled either way.
 */
@OnEachPostgres
class TrackingArchiveStoreOutageTest {
    private static EmbeddedS3 stoppable;

    @Parameter
    TestDatabase database;

    @BeforeAll
    static void startOwnS3() {
        stoppable = EmbeddedS3.start(TrackingArchiveHarness.temporaryDirectory("sluice-tracking-outage-s3-"));
    }

    @AfterAll
    static void stopOwnS3() {
        stoppable.close();
    }

    @Test
    void aMissingBucketDeletesNothingUntilItExists() {
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(10, 64L << 20, Duration.ofSeconds(1)))) {
            h.s3.deleteBucket(r -> r.bucket(h.bucket));
            List<String> events = TrackingArchiveHarness.events(30);
            h.start();
            h.send(events);

            // A missing bucket is permanent: the store is given up (not retried forever), the file's messages go
            // back to the queue, and the pipeline says FAILING with a reason naming the bucket.
            await().atMost(Duration.ofSeconds(60)).until(() -> h.runner().metrics().receivedCount() >= events.size()
                    && h.runner().metrics().givenUpCount() >= 1);
            assertThat(h.runner().state()).isEqualTo(PipelineState.FAILING);
            assertThat(h.runner().failingReason()).hasValueSatisfying(
                    reason -> assertThat(reason).contains(h.bucket).contains("NoSuchBucket"));
            assertThat(h.queueDepth()).as("no message deleted while its file is not stored").isEqualTo(30);
            assertThat(h.runner().metrics().writtenCount()).isZero();

            h.s3.createBucket(r -> r.bucket(h.bucket));
            h.awaitSettled();

            // Each given-up store counts a receive; a message given up on its fifth receive went to the
            // dead-letter queue, where the operator redrives it. Either way each event is in exactly one place.
            List<String> everywhere = new ArrayList<>(h.rawLines());
            everywhere.addAll(h.deadLettered());
            assertThat(everywhere).containsExactlyInAnyOrderElementsOf(events);
            assertThat(h.rejects()).isEmpty();
        }
    }

    @Test
    void s3DownDeletesNothingUntilItIsBack() {
        try (TrackingArchiveHarness h = new TrackingArchiveHarness(database.settings(),
                archive(10, 64L << 20, Duration.ofSeconds(1)), stoppable)) {
            List<String> events = TrackingArchiveHarness.events(30);
            h.start();
            stoppable.stop();
            try {
                h.send(events);

                awaitStoresFailing(h, events.size());
                assertThat(h.queueDepth()).as("no message deleted while S3 is down").isEqualTo(30);
                assertThat(h.runner().metrics().writtenCount()).isZero();
            } finally {
                stoppable.start();
            }
            h.awaitSettled();

            assertThat(h.rawLines()).containsExactlyInAnyOrderElementsOf(events);
        }
    }

    /** Every message received, and storing their files failed and was retried a few times. */
    private static void awaitStoresFailing(TrackingArchiveHarness h, int messages) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.runner().metrics().receivedCount() >= messages
                && h.runner().metrics().retriedCount() >= 3);
    }
}
