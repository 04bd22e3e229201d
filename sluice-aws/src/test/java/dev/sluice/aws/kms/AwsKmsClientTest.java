package dev.sluice.aws.kms;

import com.google.crypto.tink.KmsClients;
import dev.sluice.core.config.SystemProperties;
import dev.sluice.core.mask.Keyset;
import dev.sluice.core.mask.KeysetException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code aws-kms://} client as far as it can be tested offline: found by Tink through the service loader, the
 * key URI read, and a wrap that reaches the KMS Encrypt call (at a closed local port). A real KMS key never is.
 */
class AwsKmsClientTest {
    private static final String ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void tinkFindsItForAwsKmsUris() throws Exception {
        assertThat(KmsClients.getAutoLoaded("aws-kms://" + ARN)).isInstanceOf(AwsKmsClient.class);
    }

    @Test
    void theKeyUriIsAnArnWhoseRegionTheClientUses() {
        assertThat(AwsKmsClient.keyArn("aws-kms://" + ARN)).contains(ARN);
        assertThat(AwsKmsClient.keyArn("aws-kms://arn:aws:kms:eu-west-1:123456789012:alias/sluice-keys"))
                .isPresent();
        assertThat(AwsKmsClient.keyArn("aws-kms://1234abcd-12ab")).isEmpty();
        assertThat(AwsKmsClient.regionOf(ARN)).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> new AwsKmsClient().getAead("aws-kms://sluice-keys"))
                .hasMessageStartingWith("not an AWS KMS key URI: expected aws-kms://arn:aws:kms:");
    }

    @Test
    void wrappingAKeysetCallsKmsEncryptWithTheKey() throws IOException {
        int kms;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            kms = socket.getLocalPort();
        }
        Keyset keys = Keyset.generate();
        try (var properties = SystemProperties.set(Map.of("aws.endpointUrlKms", "http://127.0.0.1:" + kms,
                "aws.accessKeyId", "AKIDEXAMPLE", "aws.secretAccessKey", "example-secret"))) {
            assertThatThrownBy(() -> keys.toWrappedJson("aws-kms://" + ARN))
                    .isInstanceOf(KeysetException.class)
                    .hasMessageStartingWith("cannot wrap the keyset with KMS key aws-kms://" + ARN)
                    .hasMessageContaining("KMS Encrypt with " + ARN + " failed")
                    .hasMessageContaining("127.0.0.1:" + kms)
                    .hasMessageNotContaining("example-secret");
        }
    }
}
