package dev.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EmbeddedSqsTest {

    private static EmbeddedSqs sqs;
    private static SqsClient client;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start();
        client = sqs.newClient();
    }

    @AfterAll
    static void stopSqs() {
        client.close();
        sqs.close();
    }

    @Test
    void createsTheQueueAndItsDeadLetterQueueWithARedrivePolicy() {
        QueueUrls urls = sqs.createQueueWithDeadLetterQueue("orders", 4);

        assertThat(client.listQueues().queueUrls()).contains(urls.queueUrl(), urls.deadLetterQueueUrl());
        assertThat(urls.queueUrl()).endsWith("/orders");
        assertThat(urls.deadLetterQueueUrl()).endsWith("/orders-dlq");
        String deadLetterArn = attribute(urls.deadLetterQueueUrl(), QueueAttributeName.QUEUE_ARN);
        assertThat(attribute(urls.queueUrl(), QueueAttributeName.REDRIVE_POLICY))
                .contains(deadLetterArn)
                .containsPattern("\"maxReceiveCount\"\\s*:\\s*\"?4\"?");
        assertThat(sqs.queueNames()).contains("orders");
        assertThat(sqs.describe()).startsWith("SQS       " + sqs.endpoint()).contains("orders (+dlq)");
    }

    @Test
    void creatingAgainIsHarmlessAndAppliesTheNewMaxReceiveCount() {
        QueueUrls first = sqs.createQueueWithDeadLetterQueue("payments", 2);
        client.sendMessage(b -> b.queueUrl(first.queueUrl()).messageBody("kept"));

        QueueUrls second = sqs.createQueueWithDeadLetterQueue("payments", 9);

        assertThat(second).isEqualTo(first);
        assertThat(attribute(first.queueUrl(), QueueAttributeName.REDRIVE_POLICY))
                .containsPattern("\"maxReceiveCount\"\\s*:\\s*\"?9\"?");
        assertThat(client.receiveMessage(b -> b.queueUrl(first.queueUrl()).waitTimeSeconds(1)).messages())
                .extracting(Message::body).containsExactly("kept");
        assertThat(sqs.queueNames()).containsOnlyOnce("payments");
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesLandsInTheDeadLetterQueue() {
        QueueUrls urls = sqs.createQueueWithDeadLetterQueue("poison", 2);
        client.sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody("cannot be processed"));
        List<String> receivedFromQueue = new ArrayList<>();
        List<Message> deadLetters = new ArrayList<>();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.receiveMessage(b -> b.queueUrl(urls.queueUrl()).visibilityTimeout(1).waitTimeSeconds(1))
                    .messages().forEach(m -> receivedFromQueue.add(m.body()));
            deadLetters.addAll(client.receiveMessage(b -> b.queueUrl(urls.deadLetterQueueUrl())).messages());
            return !deadLetters.isEmpty();
        });

        assertThat(deadLetters).extracting(Message::body).containsExactly("cannot be processed");
        assertThat(receivedFromQueue).containsExactly("cannot be processed", "cannot be processed");
    }

    @Test
    void aPlainSdkClientWorksAgainstTheEndpoint() {
        QueueUrls urls = sqs.createQueueWithDeadLetterQueue("plain", 3);
        try (SqsClient plain = SqsClient.builder()
                .endpointOverride(sqs.endpoint())
                .region(Region.of("us-east-1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .build()) {
            plain.sendMessage(b -> b.queueUrl(urls.queueUrl()).messageBody("hello"));

            List<Message> received = plain.receiveMessage(b -> b.queueUrl(urls.queueUrl()).waitTimeSeconds(2)).messages();

            assertThat(received).extracting(Message::body).containsExactly("hello");
            assertThat(plain.getQueueUrl(b -> b.queueName("plain")).queueUrl()).isEqualTo(urls.queueUrl());
        }
    }

    @Test
    void environmentPointsTheSdkAtTheServer() {
        assertThat(sqs.environment()).containsAllEntriesOf(Map.of(
                "AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "x",
                "AWS_SECRET_ACCESS_KEY", "x"));
    }

    @Test
    void startsOnAGivenPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (EmbeddedSqs onPort = EmbeddedSqs.start(port); SqsClient onPortClient = onPort.newClient()) {
            assertThat(onPort.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + port));
            onPort.createQueueWithDeadLetterQueue("fixed", 1);
            assertThat(onPortClient.listQueues().queueUrls()).hasSize(2);
        }
    }

    private static String attribute(String queueUrl, QueueAttributeName name) {
        return client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(name)).attributes().get(name);
    }
}
