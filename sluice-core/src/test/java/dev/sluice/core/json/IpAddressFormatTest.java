package dev.sluice.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "199.172.111.135", "10.0.0.1", "::", "::1", "1::",
            "2001:db8::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329", "fe80::1", "FE80::ABCD",
            "::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8"})
    void acceptsAddresses(String address) {
        assertThat(IpAddressFormat.INSTANCE.problem(address)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..3.4", "1.2.3.4.",
            " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "١.٢.٣.٤", "localhost", "example.com", ":", ":::",
            "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "::1.2.3", "1.2.3.4::",
            "::ffff:1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", "[::1]", "1::2:", ":1::"})
    void refusesEverythingElse(String text) {
        assertThat(IpAddressFormat.INSTANCE.problem(text)).isEqualTo(Optional.of("not an IPv4 or IPv6 address"));
    }

    @Test
    void everyIpInTheLoginFixtureIsAccepted() throws Exception {
        Path fixture = Path.of(System.getProperty("sluice.fixtures"), "logins", "login-queue-bodies.ndjson");
        long ips = Files.readAllLines(fixture).stream()
                .map(line -> line.replaceAll(".*\"ip\": \"([^\"]*)\".*", "$1"))
                .filter(ip -> !ip.startsWith("{"))
                .peek(ip -> assertThat(IpAddressFormat.isIpAddress(ip)).as(ip).isTrue())
                .count();
        assertThat(ips).isEqualTo(99);
    }
}
