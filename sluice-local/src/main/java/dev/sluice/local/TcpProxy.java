package dev.sluice.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loopback TCP relay in front of a server that can be cut <b>half-open</b>: every connection stays established,
 * but no byte moves in either direction and neither side is told, as when a firewall, a NAT or a failed-over host
 * silently drops a connection. Clients only notice through their own timeouts and keepalives, which is what the
 * outage tests and the chaos runs check. Traffic stays on 127.0.0.1.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", postgresPort)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/db";
 *     ...
 *     proxy.cutHalfOpen();   // in-flight queries hang until the client's socket timeout
 *     proxy.restore();       // the cut connections are dropped; new ones are relayed again
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flowing = lock.newCondition();
    /** Bumped by every cut: a relay started in an earlier epoch never moves a byte again. */
    private long epoch;
    private boolean cut;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort, ServerSocket listener) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listener;
    }

    /** Starts relaying a free loopback port to {@code targetHost:targetPort}. */
    public static TcpProxy start(String targetHost, int targetPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("target port must be 1-65535, got " + targetPort);
        }
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TcpProxy proxy = new TcpProxy(targetHost, targetPort, listener);
            Thread.ofVirtual().name("tcp-proxy-" + listener.getLocalPort()).start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a loopback port for the proxy to " + targetHost + ":"
                    + targetPort, e);
        }
    }

    /** The loopback port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Connections relayed now (both ends open). */
    public int connections() {
        return sockets.size() / 2;
    }

    /**
     * Stops every byte on every open connection, without closing anything: the clients' sockets stay established
     * and their calls hang until their own timeouts. Connections opened while cut are held (like a slow handshake)
     * and relayed after {@link #restore()}.
     */
    public void cutHalfOpen() {
        lock.lock();
        try {
            cut = true;
            epoch++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Relays again. The connections that were cut are closed, as a peer that lost them would answer the next
     * packet with a reset; clients reconnect.
     */
    public void restore() {
        lock.lock();
        try {
            cut = false;
            flowing.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(TcpProxy::closeQuietly);
        restore();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        long connectedIn = currentEpoch();
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(targetHost, targetPort));
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        sockets.add(client);
        sockets.add(server);
        Thread.ofVirtual().start(() -> relay(client, server, connectedIn));
        Thread.ofVirtual().start(() -> relay(server, client, connectedIn));
    }

    private void relay(Socket from, Socket to, long connectedIn) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!awaitFlowing(connectedIn)) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other direction or close() ended the connection; nothing to report
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    /**
     * Holds the bytes while the proxy is cut; false when this connection was cut (it is then dropped on
     * {@link #restore()}, never resumed: a half-open connection does not come back).
     */
    private boolean awaitFlowing(long connectedIn) throws InterruptedException {
        lock.lock();
        try {
            while (cut && !closed) {
                flowing.await();
            }
            return !closed && epoch == connectedIn;
        } finally {
            lock.unlock();
        }
    }

    private long currentEpoch() {
        lock.lock();
        try {
            return epoch;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a relay end that is already gone
        }
    }
}
