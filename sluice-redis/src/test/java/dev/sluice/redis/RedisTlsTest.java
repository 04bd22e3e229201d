package dev.sluice.redis;

import dev.sluice.redis.testing.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code redis.tls} against a redis-server this test starts with TLS only (the machine's Redis 7 binary is built
 * with it), a certificate for {@code localhost} made by keytool, and an ACL user as ElastiCache has them.
 */
class RedisTlsTest {
    private static final String USER = "sluice";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    private static Process server;
    private static int port;
    private static Path ca;

    @BeforeAll
    static void startRedisWithTls() throws Exception {
        Path keystore = dir.resolve("server.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "redis",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        ca = dir.resolve("cert.pem");  // self-signed: the certificate is its own CA
        Files.writeString(ca, pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
        Path key = dir.resolve("key.pem");
        Files.writeString(key, pem("PRIVATE KEY",
                ((PrivateKey) store.getKey("redis", "changeit".toCharArray())).getEncoded()));

        port = TestRedis.freePort();
        server = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", String.valueOf(port),
                "--bind", "127.0.0.1", "-::1", "--tls-cert-file", ca.toString(), "--tls-key-file", key.toString(),
                "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--user", USER, "on", ">" + PASSWORD, "~*", "+@all")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        waitUntilServing();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStoreWorksOverTlsAsAnAclUser() throws Exception {
        try (TotalsStore store = PlaytimeLayout.open(settings("localhost").withTls(ca))) {
            assertThat(PlaytimeLayout.apply(store, "datasets/a.parquet@1", Map.of("u1", Map.of("play", 7L))))
                    .isTrue();
            assertThat(store.total()).isEqualTo(7);
            assertThat(PlaytimeLayout.apply(store, "datasets/a.parquet@1", Map.of("u1", Map.of("play", 7L))))
                    .as("counted once").isFalse();
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() {
        // Without caCertificate the JVM's CAs decide, and none of them signed this one.
        try (TotalsStore store = PlaytimeLayout.open(settings("localhost").withTls(null))) {
            assertThatThrownBy(store::ping).satisfies(e -> assertThat(RedisAclUserTest.chain(e))
                    .contains("PKIX path building failed").doesNotContain(PASSWORD));
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefused() {
        // The certificate names localhost; 127.0.0.1 reaches the same server but is not that name.
        try (TotalsStore store = PlaytimeLayout.open(settings("127.0.0.1").withTls(ca))) {
            assertThatThrownBy(store::ping).satisfies(e -> assertThat(RedisAclUserTest.chain(e))
                    .contains("No subject alternative names").doesNotContain(PASSWORD));
        }
    }

    private static RedisSettings settings(String host) {
        return new RedisSettings("rediss://" + host + ":" + port).withUser(USER, PASSWORD)
                .withKeyPrefix("sluice-test:" + UUID.randomUUID().toString().substring(0, 8) + ":")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static void waitUntilServing() throws Exception {
        Instant giveUp = Instant.now().plusSeconds(20);
        while (true) {
            try (TotalsStore store = PlaytimeLayout.open(settings("localhost").withTls(ca))) {
                store.ping();
                return;
            } catch (RuntimeException notYet) {
                if (!server.isAlive() || Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("redis-server with TLS did not start: "
                            + Files.readString(dir.resolve("redis.log")), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
