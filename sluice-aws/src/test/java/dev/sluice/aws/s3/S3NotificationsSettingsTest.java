package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
}
