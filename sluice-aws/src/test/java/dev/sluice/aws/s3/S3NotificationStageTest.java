package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3NotificationStageTest {

    private static final Instant T = Instant.parse("2026-11-22T10:15:30.123Z");
    private final S3EventNotificationBuilder notifications = new S3EventNotificationBuilder("eu-west-1");

    @Test
    void emitsTheWantedObjectsOfAMessage() {
        var stage = new S3NotificationStage(S3NotificationFilter.defaults());

        Outcome<List<S3ObjectRef>> outcome = stage.apply(message(
                notifications.objectCreated("playtime-datasets", "day 1.parquet", 10, "e1", T)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Emit.class, emit -> {
            S3ObjectRef ref = (S3ObjectRef) ((List<?>) emit.value()).getFirst();
            assertThat(ref.coordinates())
                    .isEqualTo(new SourceCoordinates.StoredObject("playtime-datasets", "day 1.parquet", "e1"));
        });
    }

    @Test
    void keepsOnlyTheMatchingRecordsOfAMessage() {
        var stage = new S3NotificationStage(S3NotificationFilter.defaults());

        // the multi-record sample: HappyFace.jpg (filtered out), day 1.parquet, and a delete (ignored)
        Outcome<List<S3ObjectRef>> outcome = stage.apply(message(S3EventSamples.load("derived-multi-record.json")));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Emit.class, emit -> assertThat(
                ((List<?>) emit.value()).stream().map(ref -> ((S3ObjectRef) ref).key()).toList())
                .containsExactly("datasets/2026/day 1.parquet"));
    }

    @Test
    void aMessageWhoseObjectsAreAllFilteredOutIsADropThatCountsThemByRule() {
        var stage = new S3NotificationStage(new S3NotificationFilter("datasets/", null, Set.of("mybucket")));

        assertThat(stage.apply(message(S3EventSamples.load("aws-doc-put.json"))))
                .isEqualTo(Outcome.drop("all 1 object filtered out: key does not start with the prefix (1)"));
        assertThat(stage.apply(message(S3EventSamples.load("derived-encoded-keys.json"))))
                .isEqualTo(Outcome.drop("all 5 objects filtered out: key does not start with the prefix (5)"));
    }

    @Test
    void aNotificationFromAnUnknownBucketIsADropThatSaysSo() {
        var stage = new S3NotificationStage(new S3NotificationFilter(null, null, Set.of("playtime-datasets")));
        String fromElsewhere = notifications.objectCreated("other-bucket", "x.parquet", 1, "e", T);
        String mixed = "{\"Records\":[" + record(fromElsewhere) + ","
                + record(notifications.objectCreated("playtime-datasets", "x.csv", 1, "e", T)) + "]}";

        assertThat(stage.apply(message(fromElsewhere)))
                .isEqualTo(Outcome.drop("all 1 object filtered out: bucket is not in the allow-list (1)"));
        assertThat(stage.apply(message(mixed))).isEqualTo(Outcome.drop(
                "all 2 objects filtered out: bucket is not in the allow-list (1), key does not end with the suffix (1)"));
    }

    @Test
    void passesDropsAndRejectsOfTheParserOn() {
        var stage = new S3NotificationStage(S3NotificationFilter.defaults());

        assertThat(stage.apply(message(S3EventSamples.load("aws-doc-test-event.json"))))
                .isInstanceOf(Outcome.Drop.class);
        assertThat(stage.apply(message("{\"Records\":"))).isInstanceOfSatisfying(Outcome.Reject.class,
                reject -> assertThat(reject.reason()).startsWith("body: not valid JSON"));
    }

    private static String record(String notification) {
        return notification.substring("{\"Records\":[".length(), notification.length() - 2);
    }

    private static Message message(String body) {
        return new Message(body, new SourceCoordinates.Queue("playtime-notifications", "m-1", 1), T, "receipt");
    }
}
