package dev.sluice.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerBehindAProxy() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the test closed its end
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void relaysBothWays() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "ping")).isEqualTo("ping");
            assertThat(roundTrip(s, "pong")).isEqualTo("pong");
        }
    }

    @Test
    void aCutConnectionStaysOpenButCarriesNothingAndIsDroppedOnRestore() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "before")).isEqualTo("before");
            proxy.cutHalfOpen();
            s.getOutputStream().write("during".getBytes());
            s.setSoTimeout(300);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();

            proxy.restore();
            // the proxy closes the cut connection: end of stream (or a reset), never the held bytes
            assertThat(nextByteOrEnd(s)).isEqualTo(-1);
        }
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "after")).isEqualTo("after");
        }
    }

    @Test
    void aConnectionOpenedWhileCutIsHeldThenRelayed() throws Exception {
        proxy.cutHalfOpen();
        try (Socket s = connect()) {
            s.getOutputStream().write("held".getBytes());
            s.setSoTimeout(300);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.restore();
            s.setSoTimeout(5_000);
            assertThat(new String(s.getInputStream().readNBytes(4))).isEqualTo("held");
        }
    }

    @Test
    void closeEndsEveryConnection() throws IOException {
        Socket s = connect();
        roundTrip(s, "x");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 1);
        proxy.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 0);
        assertThat(nextByteOrEnd(s)).isEqualTo(-1);
        s.close();
    }

    /** The next byte, or -1 at the end of the stream or on a reset (either is how a dropped connection ends). */
    private static int nextByteOrEnd(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (IOException reset) {
            return -1;
        }
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        s.setSoTimeout(5_000);
        return new String(s.getInputStream().readNBytes(text.length()));
    }
}
