package dev.sluice.aws.sqs;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** Which batch entry errors mean "this receipt handle no longer claims the message" (and are skipped). */
class StaleReceiptTest {

    private static BatchResultErrorEntry error(String code, String message) {
        return BatchResultErrorEntry.builder().id("0").senderFault(true).code(code).message(message).build();
    }

    @Test
    void staleHandleCodesFromSqsAndElasticMqAreSkipped() {
        assertThat(SqsSource.isStaleReceipt(error("ReceiptHandleIsInvalid", "The input receipt handle is invalid.")))
                .isTrue();
        assertThat(SqsSource.isStaleReceipt(error("AWS.SimpleQueueService.MessageNotInflight", "not in flight")))
                .isTrue();
        assertThat(SqsSource.isStaleReceipt(error("com.amazonaws.sqs#ReceiptHandleIsInvalid", null))).isTrue();
        assertThat(SqsSource.isStaleReceipt(error("InvalidParameterValue", "Value abc for parameter ReceiptHandle "
                + "is invalid. Reason: Message does not exist or is not available for visibility timeout change.")))
                .isTrue();
    }

    @Test
    void everythingElseFailsTheCall() {
        assertThat(SqsSource.isStaleReceipt(error("InvalidParameterValue",
                "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"))).isFalse();
        assertThat(SqsSource.isStaleReceipt(error("InternalError", "We encountered an internal error."))).isFalse();
        assertThat(SqsSource.isStaleReceipt(error("AccessDenied", null))).isFalse();
        assertThat(SqsSource.isStaleReceipt(error(null, null))).isFalse();
    }
}
