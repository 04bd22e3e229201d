package dev.sluice.aws.sqs;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsSourceSettingsTest {

    @Test
    void nullsTakeTheDefaults() {
        SqsSourceSettings settings = SqsSourceSettings.of("login-queue");

        assertThat(settings.queue()).isEqualTo("login-queue");
        assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.maxMessagesPerPoll()).isEqualTo(10);
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        var low = new SqsSourceSettings("q", Duration.ZERO, 1, Duration.ofSeconds(1));
        var high = new SqsSourceSettings("q", Duration.ofSeconds(20), 10, Duration.ofHours(12));

        assertThat(low.waitTime()).isZero();
        assertThat(high.visibilityTimeout()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aQueueIsRequired() {
        assertThatThrownBy(() -> SqsSourceSettings.of(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue must be given");
        assertThatThrownBy(() -> SqsSourceSettings.of(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue must be given");
    }

    @Test
    void waitTimeAboveTwentySecondsNamesTheFieldAndTheRule() {
        assertThatThrownBy(() -> new SqsSourceSettings("q", Duration.ofSeconds(25), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("waitTime must be between 0 and 20 seconds, was 25 s");
    }

    @Test
    void maxMessagesPerPollAboveTenNamesTheFieldAndTheRule() {
        assertThatThrownBy(() -> new SqsSourceSettings("q", null, 11, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessagesPerPoll must be between 1 and 10 (the SQS limit per receive), was 11");
        assertThatThrownBy(() -> new SqsSourceSettings("q", null, 0, null))
                .hasMessageContaining("maxMessagesPerPoll must be between 1 and 10");
    }

    @Test
    void visibilityTimeoutOutsideSqsLimitsIsRefused() {
        assertThatThrownBy(() -> new SqsSourceSettings("q", null, null, Duration.ZERO))
                .hasMessage("visibilityTimeout must be between 1 and 43200 seconds, was 0 s");
        assertThatThrownBy(() -> new SqsSourceSettings("q", null, null, Duration.ofHours(13)))
                .hasMessageContaining("visibilityTimeout must be between 1 and 43200 seconds");
    }

    @Test
    void fractionsOfSecondsAreRefusedBecauseSqsCountsInSeconds() {
        assertThatThrownBy(() -> new SqsSourceSettings("q", Duration.ofMillis(1_500), null, null))
                .hasMessage("waitTime must be whole seconds (SQS counts in seconds), was 1500 ms");
        assertThatThrownBy(() -> new SqsSourceSettings("q", Duration.ofMillis(-1), null, null))
                .hasMessage("waitTime must be between 0 and 20 seconds, was -1 ms");
    }

    @Test
    void aQueueIsReadFromByItsNameWhetherGivenByNameOrByUrl() {
        SqsSourceSettings byName = SqsSourceSettings.of("orders");
        SqsSourceSettings byUrl = SqsSourceSettings.of("https://sqs.eu-west-1.amazonaws.com/123456789012/orders/");

        assertThat(byName.readsFrom()).isEqualTo("SQS queue orders").isEqualTo(byUrl.readsFrom());
        assertThat(byUrl.queueName()).isEqualTo("orders");
        assertThat(byName.requireDeadLetterQueue()).isFalse();
    }

    @Test
    void aQueueUrlWithoutQueueNameIsRefused() {
        assertThatThrownBy(() -> SqsSourceSettings.of("https://sqs.eu-west-1.amazonaws.com/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue URL 'https://sqs.eu-west-1.amazonaws.com/' has no queue name as its last path"
                        + " segment");
        assertThatThrownBy(() -> SqsSourceSettings.of("http://host/a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queue must be a queue name or a full queue URL, was not a valid URL");
    }
}
