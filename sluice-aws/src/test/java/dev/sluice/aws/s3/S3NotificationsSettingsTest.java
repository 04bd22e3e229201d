package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.engine.Message;
import dev.sluice.core.engine.Outcome;
import dev.sluice.core.engine.SourceCoordinates;
import dev.sluice.core.engine.Stage;
import dev.sluice.core.pipeline.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3NotificationsSettingsTest {

    @Test
    void onlyTheQueueIsNeededAndADeadLetterQueueIsRequiredByDefault() {
        S3NotificationsSettings settings = new S3NotificationsSettings("notes", null, null, null, null, null, null,
                null);

        assertThat(settings.source().requireDeadLetterQueue()).isTrue();
        assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.filter()).isEqualTo(S3NotificationFilter.defaults());
        assertThat(settings.readsFrom()).isEqualTo("SQS queue notes");
    }

    @Test
    void theQueueAndFilterRulesApplyWithTheirFieldNames() {
        assertThatThrownBy(() -> new S3NotificationsSettings(null, null, null, null, null, null, null, null))
                .hasMessage("queue must be given: a queue name or a full queue URL");
        assertThatThrownBy(() -> new S3NotificationsSettings("q", null, 11, null, false, null, null, null))
                .hasMessageStartingWith("maxMessagesPerPoll must be between 1 and 10");
        assertThatThrownBy(() -> new S3NotificationsSettings("q", null, null, null, false, null, null, Set.of(" ")))
                .hasMessage("buckets must hold bucket names, found a blank or null entry");
    }

    @Test
    void itsDecodersTurnANotificationIntoTheWantedObjectsWithoutAQueue() {
        S3NotificationsSettings settings = new S3NotificationsSettings("notes", null, null, null, null, null, null,
                Set.of("wanted"));
        String wanted = new S3EventNotificationBuilder("us-east-1").objectCreated("wanted", "a b.parquet", 10, "e1",
                Instant.EPOCH);
        String other = new S3EventNotificationBuilder("us-east-1").objectCreated("other", "c.parquet", 10, "e2",
                Instant.EPOCH);
        Stage<Event, Event> decode = settings.decoders().getFirst();

        Outcome<Event> decoded = decode.apply(Event.of(message(wanted)));
        assertThat(decoded).isInstanceOfSatisfying(Outcome.Emit.class, emit -> assertThat(
                ((Event) emit.value()).record().values().get(S3NotificationsPlugin.OBJECTS))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement()
                .isInstanceOfSatisfying(S3ObjectRef.class, ref -> assertThat(ref.key()).isEqualTo("a b.parquet")));
        assertThat(decode.apply(Event.of(message(other)))).isInstanceOf(Outcome.Drop.class);
        assertThat(decode.apply(Event.of(message("{}")))).isEqualTo(Outcome.reject("Records: required field is missing"));
    }

    private static Message message(String body) {
        return new Message(body, new SourceCoordinates.Queue("notes", "m-1", 1), Instant.EPOCH, "r");
    }
}
